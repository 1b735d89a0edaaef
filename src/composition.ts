import { createApiKeyService } from './api-keys/api-key.service';
import { createApp } from './app';
import type { Config } from './config';
import { expertRepository } from './experts/expert.repository';
import { createExpertService } from './experts/expert.service';
import type { ReadinessChecks } from './http/health.routes';
import { createInvalidationBus, type InvalidationBus } from './infra/invalidation-bus';
import type { Logger } from './logger';
import { createRequestService } from './requests/request.service';

export interface ServiceDependencies {
  config: Config;
  logger: Logger;
  bus: InvalidationBus;
}

/** Wires the feature services together; the API process, the worker and the tests all build them here. */
export function composeServices(deps: ServiceDependencies) {
  const apiKeys = createApiKeyService({ adminApiKey: deps.config.ADMIN_API_KEY, bus: deps.bus, expertExists: expertRepository.exists });
  const experts = createExpertService({
    revokeKeysOfExpert: apiKeys.revokeAllForExpert,
    listKeysOfExpert: apiKeys.listForExpert,
    listeners: [],
  });
  const requests = createRequestService();
  return { apiKeys, experts, requests };
}

export type Services = ReturnType<typeof composeServices>;

/** The HTTP app with its services and the Redis connections they hold. */
export function buildApplication(deps: { config: Config; logger: Logger; redisUrl: string; readiness: ReadinessChecks }) {
  const bus = createInvalidationBus({ redisUrl: deps.redisUrl, namespace: `${deps.config.QUEUE_PREFIX}:${deps.config.NODE_ENV}`, logger: deps.logger });
  const services = composeServices({ config: deps.config, logger: deps.logger, bus });
  const app = createApp({ config: deps.config, logger: deps.logger, readiness: deps.readiness, services });
  return { app, services, close: () => bus.close() };
}
