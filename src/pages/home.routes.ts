import express, { type Router } from 'express';
import { sendHostedPage } from './hosted-page';

/**
 * `/`: what the service is, in two sentences, and the two ways in (issue 11 item 1): the request form for
 * organisations and the sign-up for experts. Both confirm by mail, so `forms` (mail is on) offers both or neither.
 */
export function homeRouter(options: { forms: boolean }): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    sendHostedPage(req, res, 200, 'home', (t) => ({
      title: t('home.title'),
      intro: t('home.intro'),
      ways: options.forms
        ? [
            { href: '/request', label: t('home.ask') },
            { href: '/experts/join', label: t('home.offer') },
          ]
        : [],
    }));
  });
  return router;
}
