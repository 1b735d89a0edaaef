import type { Express } from 'express';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { useMailedService, type MailedService } from './mailed-service';

/** The public base URL of the pages' tests: every mailed link starts with it. */
export const PUBLIC_BASE_URL = 'https://consult.example.test';

/** A MailedService whose visitors each come from their own address behind a trusted proxy. */
export type MailedPages = MailedService;

/** Registers beforeAll/afterAll for a MailedPages service; its fields are set once beforeAll has run. */
export function useMailedPages(): MailedPages {
  // TRUST_PROXY lets each visitor come from its own address (X-Forwarded-For), so the per-address limits are per visitor.
  return useMailedService({ PUBLIC_BASE_URL, TRUST_PROXY: 'true' });
}

/**
 * A factory of visitors of `app()`, each from its own address in `network` (`198.51.100` gives 198.51.100.1, .2, …)
 * and keeping its own expert session cookie once `keep` is given a response's Set-Cookie.
 */
export function visitors(app: () => Express, network: string) {
  let count = 0;
  return () => {
    count += 1;
    const address = `${network}.${count}`;
    let cookie = '';
    const withCookie = (call: request.Test) => (cookie ? call.set('Cookie', cookie) : call).set('X-Forwarded-For', address);
    return {
      get: (path: string) => withCookie(request(app()).get(path)),
      post: (path: string) => withCookie(request(app()).post(path)).type('form'),
      keep(setCookie: string[] | undefined) {
        const pair = (setCookie ?? []).find((line) => line.startsWith('expert_session='))?.split(';')[0];
        if (pair) cookie = pair;
      },
      get cookie() {
        return cookie;
      },
    };
  };
}
export type Visitor = ReturnType<ReturnType<typeof visitors>>;

/** Mails to `address` (the first recipient). */
export const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;

/** The CSRF token a page's forms carry. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
