import { createQueues, startWorkers } from './jobs/queues';
import { runProcess } from './process-entry';
import { startRuntime } from './runtime';

runProcess(async (config, logger) => {
  if (!config.MONGODB_URI) {
    // Two embedded servers on one data folder would corrupt it; with the embedded default, workers run inside the API process.
    throw new Error('npm run worker needs MONGODB_URI: a separate worker must share the API\'s database');
  }
  const runtime = await startRuntime(config, logger);
  const queues = createQueues(config, runtime.redisUrl, logger);
  await startWorkers(queues, logger);
  logger.info('worker running');
  return async () => {
    await queues.close();
    await runtime.stop();
  };
});
