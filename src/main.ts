import { createServer, type Server } from 'node:http';
import { buildApplication } from './composition';
import { createQueues, startWorkers } from './jobs/queues';
import { runProcess } from './process-entry';
import { startRuntime } from './runtime';

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
}

/** Stops taking connections and lets in-flight requests finish, for at most `timeoutMs`. */
function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

runProcess(async (config, logger) => {
  const runtime = await startRuntime(config, logger);
  const queues = createQueues(config, runtime.redisUrl, logger);
  if (config.WORKERS === 'on') await startWorkers(queues, logger);

  const application = buildApplication({ config, logger, redisUrl: runtime.redisUrl, readiness: runtime.readiness });
  const server = createServer(application.app);
  await listen(server, config.PORT);
  logger.info({ port: config.PORT, workers: config.WORKERS }, 'service listening');

  return async () => {
    await closeServer(server, config.SHUTDOWN_TIMEOUT_MS);
    await queues.close();
    await application.close();
    await runtime.stop();
  };
});
