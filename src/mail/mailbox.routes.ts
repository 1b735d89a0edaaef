import type { Request, Response } from 'express';
import { escapeHtml } from './compose';
import { listKeptMails, type KeptMail } from './mail-transport';

/** Each http(s) URL in already escaped text becomes a link (the URL was escaped with the rest, so it stays inert). */
const linkify = (escaped: string): string => escaped.replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);

function page(mails: KeptMail[], transport: 'smtp' | 'files'): string {
  const items = mails.map(
    (mail) => `<article>
<h2>${escapeHtml(mail.subject)}</h2>
<p><small>${escapeHtml(mail.keptAt)} · ${escapeHtml(mail.language)} · ${escapeHtml(mail.to)} · ${escapeHtml(mail.kind)} · <code>${escapeHtml(mail.id)}.eml</code>${mail.calendar ? ` · invite.ics (${escapeHtml(mail.calendar)})` : ''}</small></p>
<pre style="white-space:pre-wrap">${linkify(escapeHtml(mail.text))}</pre>
</article>`,
  );
  const empty = transport === 'smtp' ? 'SMTP_URL is set: mails go to that server, none are kept here.' : 'No mails yet.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Development mailbox</title></head>
<body style="font-family:sans-serif;max-width:60em;margin:auto">
<h1>Development mailbox (${mails.length})</h1>
${items.length > 0 ? items.join('\n<hr>\n') : `<p>${empty}</p>`}
</body></html>`;
}

/**
 * GET /dev/mailbox (HTML, or JSON with `Accept: application/json`) and /dev/mailbox.json: the mails the embedded
 * transport kept under DATA_DIR/mail, newest first. Mounted only outside production, behind the admin key.
 */
export function mailboxHandler(dir: string, transport: 'smtp' | 'files') {
  return async (req: Request, res: Response) => {
    const mails = await listKeptMails(dir);
    res.setHeader('Cache-Control', 'no-store');
    if (req.path.endsWith('.json') || req.accepts(['html', 'json']) === 'json') {
      res.json({ items: mails });
      return;
    }
    res.type('html').send(page(mails, transport));
  };
}
