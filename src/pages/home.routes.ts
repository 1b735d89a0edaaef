import express, { type Router } from 'express';
import { sendHostedPage } from './hosted-page';

/** `/`: what the service is, in two sentences, and the two ways in: for organisations and for experts (issue 11 item 1). Both need mail. */
export function homeRouter(options: { requestForm: boolean }): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    sendHostedPage(req, res, 200, 'home', (t) => ({
      title: t('home.title'),
      intro: t('home.intro'),
      ways: options.requestForm ? [{ href: '/request', label: t('home.ask') }, { href: '/experts/login', label: t('home.offer') }] : [],
    }));
  });
  return router;
}
