import type { Job } from 'bull';
import type { MailOutbox } from '../mail/mail-outbox';

/** Ids only: the address and the text stay in the database, so erasing them there leaves no copy in Redis. */
export interface MailDeliveryJobData {
  mailId: string;
  attempt: number;
}

/** Runs one attempt; the outbox schedules the next one itself, so bull never retries these jobs. */
export function mailDeliveryJob(outbox: Pick<MailOutbox, 'deliver'> | undefined) {
  return async (job: Job<MailDeliveryJobData>) => {
    const { mailId, attempt } = job.data;
    return { mailId, attempt, outcome: outbox ? await outbox.deliver(mailId, attempt) : 'skipped' };
  };
}
