import type { LinkToIssue, IssueLinks } from '../links/action-tokens';
import type { MailOutbox, MailToRecord } from './mail-outbox';

/**
 * Issues one-click links, records the mail made with their URLs, and deletes the tokens again when the mail had been
 * recorded before (a job run twice): the links in the stored mail stay the only ones that work. True when this call
 * recorded the mail.
 */
export async function recordWithLinks(
  deps: { outbox: MailOutbox; issueLinks: IssueLinks; dropLinks: (tokenIds: readonly string[]) => Promise<void> },
  links: LinkToIssue[],
  mail: (urls: string[]) => MailToRecord,
): Promise<boolean> {
  const issued = await deps.issueLinks(links);
  let recorded = false;
  try {
    recorded = await deps.outbox.record(mail(issued.urls));
  } finally {
    if (!recorded) await deps.dropLinks(issued.tokenIds);
  }
  return recorded;
}
