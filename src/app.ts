import express, { type Express } from 'express';
import helmet from 'helmet';
import { apiKeyRoutes } from './api-keys/api-key.routes';
import type { Services } from './composition';
import type { Config } from './config';
import { expertRoutes } from './experts/expert.routes';
import { consultationRoutes } from './consultations/consultation.routes';
import { allow, authenticate, browserChallenge } from './http/auth';
import { queueBoard, QUEUE_BOARD_PATH } from './http/queue-board';
import { invitationRoutes } from './invitations/invitation.routes';
import type { Queues } from './jobs/queues';
import { statsRoutes } from './stats/stats.routes';
import { webhookRoutes } from './webhooks/webhook.routes';
import { docsAssets, docsRoutes } from './http/docs.routes';
import { healthRoutes, type ReadinessChecks } from './http/health.routes';
import { jsonBody } from './http/json-body';
import { measureRequests, metricsEndpoint } from './http/metrics';
import { notFoundHandler, problemHandler } from './http/problem';
import { rateLimitPerAddress, rateLimitPerKey } from './http/rate-limit';
import { requestLogging } from './http/request-logging';
import { mountRoutes, type RouteDefinition } from './http/route-table';
import { noStore } from './http/no-store';
import { sameOriginOnly } from './http/same-origin';
import { idempotent } from './idempotency/idempotency.http';
import type { Logger } from './logger';
import { matchingRoutes } from './matching/matching.routes';
import { mailboxHandler } from './mail/mailbox.routes';
import { mailDirectory } from './mail/mail-transport';
import { requestRoutes } from './requests/request.routes';
import { actionLinkRouter } from './links/action-link.routes';
import { pageAssets } from './http/pages';
import { hostedPages } from './pages/hosted-pages';
import { statusPageRouter } from './pages/status-page.routes';
import { proposalRoutes } from './proposals/proposal.routes';
import { calendarRoutes } from './calendar/calendar.routes';
import { expertRepository } from './experts/expert.repository';
import { expertPagesRouter } from './pages/expert-pages.routes';
import { expertProfileRouter } from './pages/expert-profile.routes';
import { expertSessionLoader, sessionCookies, sessionSecret, sessionStarter } from './pages/expert-session';
import { partnerEmbedRoutes } from './partners/partner-embed.routes';
import { embedPages } from './pages/embed-form.routes';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  readiness: ReadinessChecks;
  services: Services;
  queues: Queues;
}

/** Builds the HTTP app without listening: the process entry and the tests both use it. */
export function createApp(deps: AppDependencies): Express {
  const { services } = deps;
  const publicRoutes: RouteDefinition[] = [...healthRoutes(deps.readiness, deps.logger), ...docsRoutes()];
  const authenticated = authenticate(services.apiKeys.authenticate);
  const operatorRoutes: RouteDefinition[] = [{ method: 'get', path: '/metrics', handlers: [authenticated, allow('admin'), metricsEndpoint] }];
  const apiRoutes: RouteDefinition[] = [
    ...apiKeyRoutes(services.apiKeys),
    ...expertRoutes(services.experts, idempotent),
    ...requestRoutes(services.requests, idempotent),
    ...matchingRoutes(services.matching),
    ...invitationRoutes(services.invitations),
    ...consultationRoutes(services.consultations),
    ...proposalRoutes(services.proposals),
    ...calendarRoutes(services.calendars),
    ...webhookRoutes(services.webhooks),
    ...partnerEmbedRoutes(services.partnerEmbeds, { allowLocalHttp: deps.config.NODE_ENV !== 'production' }),
    ...statsRoutes(),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.locals.routes = [...publicRoutes, ...operatorRoutes, ...apiRoutes];
  app.use(measureRequests);
  app.use(requestLogging(deps.logger));
  app.use(helmet());
  app.use('/docs/assets', docsAssets());
  app.use('/assets', pageAssets());
  mountRoutes(app, publicRoutes);
  app.use(hostedPages({ hostedRequests: services.hostedRequests, publicBaseUrl: deps.config.PUBLIC_BASE_URL }));
  app.use(embedPages({ hostedRequests: services.hostedRequests, partnerEmbeds: services.partnerEmbeds, publicBaseUrl: deps.config.PUBLIC_BASE_URL }));
  // One-click links from mails (pages, not API): a person clicks a few, so a tenth of the API's per-address limit.
  const linkLimit = Math.max(30, Math.ceil(deps.config.RATE_LIMIT_PER_MINUTE / 10));
  const production = deps.config.NODE_ENV === 'production';
  const startSession = sessionStarter(production);
  const cookies = sessionCookies(sessionSecret(deps.config.SESSION_SECRET));
  app.use('/a', rateLimitPerAddress(linkLimit), cookies, actionLinkRouter(services.actionLinks, { publicBaseUrl: deps.config.PUBLIC_BASE_URL, startSession }));
  if (services.signIn) {
    // The experts' pages (sign-in by mail, so only with mail on), behind the signed session cookie.
    const pages = expertPagesRouter({ signIn: services.signIn, findExpert: async (id) => services.directory.get(id) ?? expertRepository.findById(id), invitations: services.invitations, requests: services.requests, matching: services.matching, proposals: services.proposals, consultations: services.consultations, publicBaseUrl: deps.config.PUBLIC_BASE_URL, production });
    const profilePages = expertProfileRouter({ hostedExperts: services.hostedExperts!, experts: services.experts, findExpert: async (id) => services.directory.get(id) ?? expertRepository.findById(id), publicBaseUrl: deps.config.PUBLIC_BASE_URL, production });
    app.use('/experts', rateLimitPerAddress(linkLimit * 4), cookies, expertSessionLoader, profilePages, pages);
  }
  // The request's status page, from the request-received mail: a person's page, limited per address as the links are.
  app.use('/r', statusPageRouter(services.requestStatus, { publicBaseUrl: deps.config.PUBLIC_BASE_URL, limitPerMinute: linkLimit }));
  // Behind a key: the per-address limit comes first (before a key is checked or a body read), and nothing is cached.
  app.use(['/v1', '/metrics', QUEUE_BOARD_PATH], rateLimitPerAddress(deps.config.RATE_LIMIT_PER_MINUTE * 10), noStore);
  mountRoutes(app, operatorRoutes);
  app.use(QUEUE_BOARD_PATH, sameOriginOnly, browserChallenge('queues'), authenticated, allow('admin'), queueBoard(deps.queues));
  if (deps.config.NODE_ENV !== 'production' && services.mailTransport) {
    // A development page, not part of the API (so not in the route table or the spec); 404 in production.
    const mailbox = mailboxHandler(mailDirectory(deps.config.DATA_DIR), services.mailTransport.kind);
    app.get(['/dev/mailbox', '/dev/mailbox.json'], rateLimitPerAddress(deps.config.RATE_LIMIT_PER_MINUTE * 10), browserChallenge('mailbox'), authenticated, allow('admin'), mailbox);
  }
  // Bodies are read only for an authenticated caller within its limit.
  app.use('/v1', authenticated, rateLimitPerKey(deps.config.RATE_LIMIT_PER_MINUTE), jsonBody);
  mountRoutes(app, apiRoutes);
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
