import type { MailLanguage } from '../domain/people';

/** A mail's content as structure; compose() writes it as plain text and as HTML, both from the same blocks. */
export type MailBlock =
  | { paragraph: string }
  | { heading: string }
  | { rows: Array<{ label: string; value: string; href?: string }> }
  | { list: string[] }
  /** One-click action links, in the order of the actions offered (issue 10 item 3); only http(s) targets become links. */
  | { links: Array<{ label: string; href: string }> };

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe as HTML element content or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

/** Only http(s) URLs become links: a `javascript:` or `data:` value stays text. */
const linkable = (href: string | undefined): href is string => href !== undefined && /^https?:\/\//i.test(href);

function textOf(block: MailBlock): string {
  if ('paragraph' in block) return block.paragraph;
  if ('heading' in block) return `${block.heading}\n${'-'.repeat(block.heading.length)}`;
  if ('rows' in block) return block.rows.map((row) => `${row.label}: ${row.value}${linkable(row.href) && row.href !== row.value ? ` <${row.href}>` : ''}`).join('\n');
  if ('links' in block) return block.links.map((link) => `${link.label}: ${linkable(link.href) ? link.href : ''}`).join('\n');
  return block.list.map((item) => `- ${item}`).join('\n');
}

function htmlOf(block: MailBlock): string {
  if ('paragraph' in block) return `<p>${escapeHtml(block.paragraph).replace(/\n/g, '<br>\n')}</p>`;
  if ('heading' in block) return `<h2 style="font-size:1.1em">${escapeHtml(block.heading)}</h2>`;
  if ('rows' in block) {
    const rows = block.rows.map((row) => {
      const value = linkable(row.href) ? `<a href="${escapeHtml(row.href)}">${escapeHtml(row.value)}</a>` : escapeHtml(row.value);
      return `<tr><th align="left" style="padding-right:1em">${escapeHtml(row.label)}</th><td>${value}</td></tr>`;
    });
    return `<table>${rows.join('')}</table>`;
  }
  if ('links' in block) {
    const links = block.links.map((link) =>
      linkable(link.href) ? `<a href="${escapeHtml(link.href)}" style="display:inline-block;padding:.5em 1.2em;margin:0 .5em .5em 0;background:#00507a;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(link.label)}</a>` : escapeHtml(link.label),
    );
    return `<p>${links.join('\n')}</p>`;
  }
  return `<ul>${block.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

/**
 * The text and HTML parts of a mail. Every string in `blocks` is treated as text, user values included: the HTML part
 * escapes all of it, so nothing a user typed can become markup.
 */
export function compose(language: MailLanguage, subject: string, blocks: MailBlock[]): ComposedMail {
  const text = `${blocks.map(textOf).join('\n\n')}\n`;
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="font-family:sans-serif;line-height:1.4">${blocks.map(htmlOf).join('\n')}</body></html>`,
  ].join('\n');
  return { subject, text, html };
}
