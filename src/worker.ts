import { composeServices } from './composition';
import { createInvalidationBus } from './infra/invalidation-bus';
import { createQueues } from './jobs/queues';
import { startWorkers } from './jobs/workers';
import { runProcess } from './process-entry';
import { startRuntime } from './runtime';

runProcess(async (config, logger) => {
  if (!config.MONGODB_URI) {
    // Two embedded servers on one data folder would corrupt it; with the embedded default, workers run inside the API process.
    throw new Error("npm run worker needs MONGODB_URI: a separate worker must share the API's database");
  }
  const runtime = await startRuntime(config, logger);
  const queues = createQueues(config, runtime.redisUrl, logger);
  const bus = createInvalidationBus({ redisUrl: runtime.redisUrl, namespace: `${config.QUEUE_PREFIX}:${config.NODE_ENV}`, logger });
  const services = composeServices({ config, logger, bus, queues });
  await services.matching.warmUp();
  await startWorkers(queues, services, logger, config);
  logger.info('worker running');
  return async () => {
    services.reconciler.stop();
    await queues.close();
    await bus.close();
    await runtime.stop();
  };
});
