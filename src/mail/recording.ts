import type { LinkToIssue, IssueLinks } from '../links/action-tokens';
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
