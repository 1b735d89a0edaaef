import type { InvalidationBus } from '../infra/invalidation-bus';
import { webhookEndpointRepository, type WebhookEndpointRecord } from './webhook.repository';

const TOPIC = 'webhook-endpoints';

export type ActiveEndpoints = ReturnType<typeof createActiveEndpoints>;

/**
 * The active webhook endpoints, held in memory: every lifecycle event needs them, and on FerretDB their query is a
 * scan. A change (register, enable, disable, remove) reloads them here at once and, through the bus, on every other
 * instance. A change that lands while a reload is under way makes the next call reload again.
 */
export function createActiveEndpoints(deps: { bus: InvalidationBus }) {
  let version = 0;
  let cached: { version: number; endpoints: Promise<WebhookEndpointRecord[]> } | undefined;
  deps.bus.subscribe(TOPIC, () => void (version += 1));

  return {
    list(): Promise<WebhookEndpointRecord[]> {
      if (cached?.version !== version) {
        const loading = webhookEndpointRepository.listActive();
        const entry = { version, endpoints: loading };
        cached = entry;
        // A failed load is not kept: the next call tries again.
        loading.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached!.endpoints;
    },

    async changed(): Promise<void> {
      version += 1;
      await deps.bus.publish(TOPIC, String(Date.now()));
    },
  };
}
