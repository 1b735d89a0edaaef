import type { Job } from 'bull';
import type { Outbox } from '../webhooks/outbox';

/** Ids only: the event's data stays in the database, so erasing it there leaves no copy in Redis. */
export interface WebhookDeliveryJobData {
  deliveryId: string;
  attempt: number;
}

/** Runs one attempt; the outbox schedules the next one itself, so bull never retries these jobs. */
export function webhookDeliveryJob(outbox: Pick<Outbox, 'deliver'>) {
  return async (job: Job<WebhookDeliveryJobData>) => {
    const { deliveryId, attempt } = job.data;
    await outbox.deliver(deliveryId, attempt);
    return { deliveryId, attempt };
  };
}
