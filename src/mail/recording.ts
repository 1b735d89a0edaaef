import type { LinkToIssue, IssueLinks } from '../links/action-tokens';
import type { Logger } from '../logger';
import type { MailOutbox, MailToRecord } from './mail-outbox';

/**
 * Records the mail of `key` with one-click links: when it was recorded already (a job run again) nothing is issued;
 * otherwise the links are issued, the mail made with their URLs is recorded, and the tokens are deleted again when a
 * concurrent run recorded it first, so the links in the stored mail stay the only ones that work. True when this call
 * recorded the mail.
 */
export async function recordWithLinks(
  deps: { outbox: MailOutbox; issueLinks: IssueLinks; dropLinks: (tokenIds: readonly string[]) => Promise<void> },
  key: Pick<MailToRecord, 'eventKey' | 'recipient'>,
  links: LinkToIssue[],
  mail: (urls: string[]) => Omit<MailToRecord, 'eventKey' | 'recipient'>,
): Promise<boolean> {
  if (await deps.outbox.recorded(key.eventKey, key.recipient)) return false;
  const issued = await deps.issueLinks(links);
  let recorded = false;
  try {
    recorded = await deps.outbox.record({ ...key, ...mail(issued.urls) });
  } finally {
    if (!recorded) await deps.dropLinks(issued.tokenIds);
  }
  return recorded;
}

/**
 * A recorder that never fails the change causing the mail: the change already happened, so a failure to record is
 * logged (with `ids`, never an address) and swallowed. Without an outbox (`MAIL=off`) nothing is recorded. Erasure
 * does not use it: there a failure must be loud.
 */
export function safeRecorder(outbox: MailOutbox | undefined, log: Logger) {
  return async (what: string, ids: Record<string, string>, record: (outbox: MailOutbox) => Promise<unknown>): Promise<void> => {
    if (!outbox) return;
    try {
      await record(outbox);
    } catch (error) {
      log.error({ ...ids, err: String(error) }, `${what} mail not recorded`);
    }
  };
}
