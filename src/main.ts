import { createServer, type Server } from 'node:http';
import express from 'express';
import { metricsEndpoint } from './http/metrics';
import { buildApplication } from './composition';
import { createQueues } from './jobs/queues';
import { startWorkers } from './jobs/workers';
import { runProcess } from './process-entry';
import { startRuntime } from './runtime';
import { developmentAdminKey, developmentAdminKeyFile } from './infra/development-admin-key';

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

/** Metrics without authentication, for a port that only the monitoring network reaches. */
function metricsOnly() {
  const app = express();
  app.get('/metrics', metricsEndpoint);
  return app;
}

runProcess(async (startConfig, logger) => {
  const runtime = await startRuntime(startConfig, logger);
  let config = startConfig;
  if (!config.ADMIN_API_KEY && config.NODE_ENV !== 'production') {
    const { key, created } = await developmentAdminKey(config.DATA_DIR);
    config = Object.freeze({ ...config, ADMIN_API_KEY: key });
    logger.info({ file: developmentAdminKeyFile(config.DATA_DIR), created }, 'no ADMIN_API_KEY set: using a development admin key from the data folder');
  }
  const queues = createQueues(config, runtime.redisUrl, logger);
  const application = buildApplication({ config, logger, redisUrl: runtime.redisUrl, readiness: runtime.readiness, queues });
  const indexed = await application.services.matching.warmUp();
  logger.info({ experts: indexed }, 'matching index built');
  const listed = { requests: await application.services.requests.warmUp(), invitations: await application.services.invitations.warmUp() };
  logger.info(listed, 'list indexes built');
  if (config.WORKERS === 'on') await startWorkers(queues, application.services, logger, config);
  const server = createServer(application.app);
  await listen(server, config.PORT);
  logger.info({ port: config.PORT, workers: config.WORKERS }, 'service listening');
  const metricsServer = config.METRICS_PORT === undefined ? undefined : createServer(metricsOnly());
  if (metricsServer) await listen(metricsServer, config.METRICS_PORT!);

  return async () => {
    await Promise.all([closeServer(server, config.SHUTDOWN_TIMEOUT_MS), metricsServer && closeServer(metricsServer, 1000)]);
    application.services.reconciler.stop();
    await queues.close();
    await application.close();
    await runtime.stop();
  };
});
