import type { DeliveryWithAttempts } from './outbox.repository';
import type { Webhook, WebhookCreated, WebhookDelivery } from './webhook.openapi-types';
import type { WebhookEndpointRecord } from './webhook.repository';

export function presentWebhook(endpoint: WebhookEndpointRecord): Webhook {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    scope: endpoint.scope,
    status: endpoint.status,
    ...(endpoint.disabledAt ? { disabledAt: endpoint.disabledAt.toISOString() } : {}),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** Only the answer to the registration carries the secret. */
export function presentCreatedWebhook(endpoint: WebhookEndpointRecord): WebhookCreated {
  return { ...presentWebhook(endpoint), secret: endpoint.secret };
}

export function presentDelivery(delivery: DeliveryWithAttempts): WebhookDelivery {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at.toISOString(),
      durationMs: attempt.durationMs,
      ...(attempt.statusCode !== undefined ? { statusCode: attempt.statusCode } : {}),
      ...(attempt.error !== undefined ? { error: attempt.error } : {}),
    })),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}
