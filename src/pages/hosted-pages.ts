import express, { type Router } from 'express';
import type { HostedRequests } from '../requests/hosted-requests';
import { homeRouter } from './home.routes';
import { pageLanguage } from './page-language';
import { requestFormRouter } from './request-form.routes';

const PAGE_PATHS = new Set(['/', '/request', '/request/sent']);

/**
 * The hosted pages (issue 11): in the visitor's language (pageLanguage), never cached (a form shown again holds what a
 * person typed). The request form is offered only with mail on: its confirmation link is sent by mail.
 */
export function hostedPages(deps: { hostedRequests: HostedRequests | undefined; publicBaseUrl: string }): Router {
  const router = express.Router();
  router.use((req, res, next) => {
    // Everything else (the API, links, assets) passes by untouched.
    if (!PAGE_PATHS.has(req.path)) return next('router');
    res.setHeader('Cache-Control', 'no-store');
    pageLanguage(req, res, next);
  });
  router.use(homeRouter({ forms: deps.hostedRequests !== undefined }));
  if (deps.hostedRequests) router.use(requestFormRouter(deps.hostedRequests, { publicBaseUrl: deps.publicBaseUrl }));
  return router;
}
