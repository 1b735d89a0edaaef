import type { MailLanguage } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import type { MailBlock } from '../compose';

/**
 * The end of every reminder: why it came and the link that turns reminders off. It comes after the mail's one-click
 * action links (issue 10 item 3: other links after them), and is the same URL as the List-Unsubscribe header's.
 */
export function stopRemindersBlocks(language: MailLanguage, url: string): MailBlock[] {
  const t = translatorFor(language);
  return [{ paragraph: t('mail.reminders.stopNote') }, { rows: [{ label: t('mail.reminders.stopLink'), value: url, href: url }] }];
}

/**
 * The header fields that let a mail client offer "unsubscribe" for reminders: `List-Unsubscribe` with the link
 * (RFC 2369 §3.2), and `List-Unsubscribe-Post` for a one-click POST without a browser (RFC 8058 §3.1), which RFC 8058
 * allows only with an https URI: over plain http (a development base URL) only the first is sent.
 */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${url}>`,
    ...(url.startsWith('https://') ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
  };
}
