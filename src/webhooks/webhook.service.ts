import type { Config } from '../config';
import { AppError, notFound } from '../errors';
import type { Principal } from '../http/principal';
import type { Logger } from '../logger';
import { DestinationRefused, resolveDestination } from './destination-guard';
import { outboxRepository, type DeliveryWithAttempts } from './outbox.repository';
import { newSigningSecret } from './signing';
import type { WebhookInput } from './webhook.openapi-types';
import type { ActiveEndpoints } from './active-endpoints';
import { webhookEndpointRepository, type WebhookEndpointRecord } from './webhook.repository';
import type { WebhookListQuery } from './webhook.schemas';

export type WebhookService = ReturnType<typeof createWebhookService>;


/** Owners manage their own endpoints, admins every endpoint; anyone else is told it does not exist. */
const canManage = (principal: Principal, endpoint: WebhookEndpointRecord): boolean =>
  principal.role === 'admin' || endpoint.ownerId === principal.ownerId;

export function createWebhookService(deps: { config: Config; logger: Logger; endpoints: ActiveEndpoints }) {
  async function managed(principal: Principal, id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await webhookEndpointRepository.findById(id);
    if (!endpoint || !canManage(principal, endpoint)) throw notFound('Webhook');
    return endpoint;
  }

  async function checkDestination(url: string): Promise<void> {
    try {
      await resolveDestination(new URL(url), deps.config.WEBHOOK_ALLOW_PRIVATE);
    } catch (error) {
      if (!(error instanceof DestinationRefused)) throw error;
      throw new AppError('unprocessable', `The webhook URL ${error.message}`, { errors: [{ path: 'url', message: error.message }] });
    }
  }

  return {
    /** An admin's endpoint receives every owner's events; anyone else's only the events of requests its owner owns. */
    async register(principal: Principal, input: WebhookInput): Promise<WebhookEndpointRecord> {
      await checkDestination(input.url);
      const endpoint = await webhookEndpointRepository.insert({
        ownerId: principal.ownerId,
        scope: principal.role === 'admin' ? 'all' : 'owner',
        url: input.url,
        events: input.events,
        secret: newSigningSecret(),
      });
      await deps.endpoints.changed();
      deps.logger.info({ webhookId: endpoint.id, ownerId: endpoint.ownerId, scope: endpoint.scope }, 'webhook endpoint registered');
      return endpoint;
    },

    list(principal: Principal, query: WebhookListQuery, afterId: string | undefined): Promise<WebhookEndpointRecord[]> {
      const ownerId = principal.role === 'admin' ? undefined : principal.ownerId;
      return webhookEndpointRepository.list(ownerId, afterId, query.limit + 1);
    },

    get: managed,

    /** Makes a disabled endpoint active again; events from now on reach it, the ones it missed stay undelivered. */
    async enable(principal: Principal, id: string): Promise<WebhookEndpointRecord> {
      const endpoint = await managed(principal, id);
      if (endpoint.status === 'active') return endpoint;
      const enabled = await webhookEndpointRepository.enable(id);
      if (!enabled) throw notFound('Webhook');
      await deps.endpoints.changed();
      deps.logger.info({ webhookId: id, ownerId: endpoint.ownerId }, 'webhook endpoint re-enabled');
      return enabled;
    },

    /** Removes the endpoint with its delivery history; its pending deliveries are never sent. */
    async remove(principal: Principal, id: string): Promise<void> {
      await managed(principal, id);
      await webhookEndpointRepository.delete(id);
      await deps.endpoints.changed();
      await outboxRepository.deleteForEndpoint(id);
    },

    async deliveries(principal: Principal, id: string, limit: number): Promise<DeliveryWithAttempts[]> {
      await managed(principal, id);
      return outboxRepository.listDeliveries(id, limit);
    },
  };
}
