import express, { type Express } from 'express';
import helmet from 'helmet';
import { apiKeyRoutes } from './api-keys/api-key.routes';
import type { Services } from './composition';
import type { Config } from './config';
import { expertRoutes } from './experts/expert.routes';
import { authenticate } from './http/auth';
import { docsAssets, docsRoutes } from './http/docs.routes';
import { healthRoutes, type ReadinessChecks } from './http/health.routes';
import { jsonBody } from './http/json-body';
import { notFoundHandler, problemHandler } from './http/problem';
import { rateLimitPerKey } from './http/rate-limit';
import { requestLogging } from './http/request-logging';
import { mountRoutes, type RouteDefinition } from './http/route-table';
import { idempotent } from './idempotency/idempotency.http';
import type { Logger } from './logger';
import { requestRoutes } from './requests/request.routes';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  readiness: ReadinessChecks;
  services: Services;
}

/** Builds the HTTP app without listening: the process entry and the tests both use it. */
export function createApp(deps: AppDependencies): Express {
  const { services } = deps;
  const publicRoutes: RouteDefinition[] = [...healthRoutes(deps.readiness), ...docsRoutes()];
  const apiRoutes: RouteDefinition[] = [
    ...apiKeyRoutes(services.apiKeys),
    ...expertRoutes(services.experts, idempotent),
    ...requestRoutes(services.requests, idempotent),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.locals.routes = [...publicRoutes, ...apiRoutes];
  app.use(requestLogging(deps.logger));
  app.use(helmet());
  app.use('/docs/assets', docsAssets());
  app.use(jsonBody);
  mountRoutes(app, publicRoutes);
  app.use('/v1', authenticate(services.apiKeys.authenticate), rateLimitPerKey(deps.config.RATE_LIMIT_PER_MINUTE));
  mountRoutes(app, apiRoutes);
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
