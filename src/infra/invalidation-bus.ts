import Redis from 'ioredis';
import type { Logger } from '../logger';

export type InvalidationHandler = (payload: string) => void;

/**
 * Tells every API instance that cached state changed (a revoked key, an edited expert).
 * The publishing instance applies the change itself first; Redis pub/sub carries it to the others.
 */
export interface InvalidationBus {
  subscribe(topic: string, handler: InvalidationHandler): void;
  publish(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export function createInvalidationBus(options: { redisUrl: string; namespace: string; logger: Logger }): InvalidationBus {
  const channel = (topic: string) => `${options.namespace}:invalidate:${topic}`;
  const handlers = new Map<string, InvalidationHandler[]>();
  const connectionOptions = { maxRetriesPerRequest: 1, lazyConnect: false };
  const publisher = new Redis(options.redisUrl, connectionOptions);
  const subscriber = new Redis(options.redisUrl, connectionOptions);
  for (const connection of [publisher, subscriber]) {
    connection.on('error', (error) => options.logger.warn({ err: error.message }, 'invalidation bus: redis error'));
  }
  subscriber.on('message', (receivedChannel: string, payload: string) => {
    for (const [topic, list] of handlers) {
      if (channel(topic) === receivedChannel) for (const handler of list) handler(payload);
    }
  });

  return {
    subscribe(topic, handler) {
      const list = handlers.get(topic) ?? [];
      if (list.length === 0) {
        subscriber.subscribe(channel(topic)).catch((error: Error) => options.logger.warn({ err: error.message, topic }, 'invalidation bus: subscribe failed'));
      }
      handlers.set(topic, [...list, handler]);
    },
    async publish(topic, payload) {
      try {
        await publisher.publish(channel(topic), payload);
      } catch (error) {
        options.logger.warn({ err: String(error), topic }, 'invalidation bus: publish failed; other instances may serve stale data until they restart');
      }
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
