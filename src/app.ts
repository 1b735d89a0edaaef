import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import { healthRoutes, type ReadinessChecks } from './http/health.routes';
import { jsonBody } from './http/json-body';
import { notFoundHandler, problemHandler } from './http/problem';
import { requestLogging } from './http/request-logging';
import type { Logger } from './logger';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  readiness: ReadinessChecks;
}

/** Builds the HTTP app without listening: the process entry and the tests both use it. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(requestLogging(deps.logger));
  app.use(helmet());
  app.use(jsonBody);
  app.use(healthRoutes(deps.readiness));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
