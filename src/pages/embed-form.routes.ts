import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { idSchema } from '../http/common.schemas';
import type { PartnerEmbedService } from '../partners/partner-embed.service';
import type { HostedRequests } from '../requests/hosted-requests';
import { sendHostedPage } from './hosted-page';
import { languageOfPage, pageLanguage } from './page-language';
import { formFailure, postRequestForm, showRequestForm, type RequestFormPlace } from './request-form.routes';

const FORM_PATH = '/embed/request';
const SENT_PATH = '/embed/request/sent';
const EMBED_PATHS = new Set([FORM_PATH, SENT_PATH]);
/** Sec-Fetch-Site values of a request another site started (Fetch Metadata): a sibling subdomain is another origin too. */
const FOREIGN_FETCH_SITES = new Set(['cross-site', 'same-site']);

interface EmbeddingPartner {
  ownerId: string;
  origins: string[];
}

const partnerOf = (res: Response): EmbeddingPartner => res.locals.embeddingPartner as EmbeddingPartner;

/** An embed page's URL for this partner in the page's language (cookies may not reach a third-party frame). */
const embedUrl = (path: string, res: Response): string => `${path}?${new URLSearchParams({ partner: partnerOf(res).ownerId, lang: languageOfPage(res) }).toString()}`;

/**
 * The origin a browser says started this request, when another site did (`Sec-Fetch-Site`) and it says so (`Origin`,
 * else `Referer`); undefined when the request is this site's own or names no origin. `null` when unreadable.
 */
function foreignInitiator(req: Request): string | null | undefined {
  const site = req.get('Sec-Fetch-Site')?.toLowerCase();
  if (!site || !FOREIGN_FETCH_SITES.has(site)) return undefined;
  const claimed = req.get('Origin') ?? req.get('Referer');
  if (claimed === undefined) return undefined;
  try {
    return new URL(claimed).origin;
  } catch {
    return null;
  }
}

/**
 * Helmet's CSP with `frame-ancestors` naming only `origins`, and no X-Frame-Options (which has no allow-list and
 * would override it in older browsers): only the partner's registered sites may frame the page.
 */
function allowFramingBy(res: Response, origins: readonly string[]): void {
  const directives = String(res.getHeader('Content-Security-Policy') ?? '')
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !directive.startsWith('frame-ancestors'));
  res.setHeader('Content-Security-Policy', [...directives, `frame-ancestors ${origins.join(' ')}`].join(';'));
  res.removeHeader('X-Frame-Options');
}

/**
 * The partner a page is embedded for (`?partner={ownerId}`), with its registered origins: a 404 page when it is no
 * partner with origins; a 403 page when another site than those started the request (see foreignInitiator).
 * Otherwise the page may be framed by those origins only, and `res.locals.embeddingPartner` names the partner.
 */
function embeddingPartner(embeds: PartnerEmbedService): RequestHandler {
  return async (req, res, next) => {
    const ownerId = idSchema.safeParse(req.query.partner);
    const origins = ownerId.success ? await embeds.originsOf(ownerId.data) : [];
    if (!ownerId.success || origins.length === 0) {
      return sendHostedPage(req, res, 404, 'message', (t) => ({ title: t('embed.notFound.title'), text: t('embed.notFound.text'), failed: true }));
    }
    const initiator = foreignInitiator(req);
    if (initiator !== undefined && (initiator === null || !origins.includes(initiator))) {
      return sendHostedPage(req, res, 403, 'message', (t) => ({ title: t('request.title'), text: t('embed.foreign'), failed: true }));
    }
    allowFramingBy(res, origins);
    res.locals.embeddingPartner = { ownerId: ownerId.data, origins } satisfies EmbeddingPartner;
    next();
  };
}

/**
 * The embeddable request form `/embed/request?partner={ownerId}` (issue 11 item 6): the hosted form (same template,
 * handlers and double opt-in), shown only inside the partner's registered origins (`frame-ancestors`), posting to
 * itself; a confirmed request belongs to the partner, as if filed with its key. Not offered without mail (nobody
 * could confirm), as `/request`.
 */
export function embedPages(deps: { hostedRequests: HostedRequests | undefined; partnerEmbeds: PartnerEmbedService; publicBaseUrl: string }): Router {
  const router = express.Router();
  const { hostedRequests } = deps;
  if (!hostedRequests) return router;
  const place = (_req: Request, res: Response): RequestFormPlace => ({
    action: embedUrl(FORM_PATH, res),
    sent: embedUrl(SENT_PATH, res),
    file: (input) => hostedRequests.file(input, { partnerOwnerId: partnerOf(res).ownerId }),
  });
  router.use((req, res, next) => {
    if (!EMBED_PATHS.has(req.path)) return next('router');
    res.setHeader('Cache-Control', 'no-store');
    pageLanguage(req, res, next);
  });
  router.use(embeddingPartner(deps.partnerEmbeds));
  router.get(FORM_PATH, (req, res) => showRequestForm(req, res, place(req, res)));
  router.get(SENT_PATH, (req, res) => sendHostedPage(req, res, 200, 'message', (t) => ({ title: t('request.sent.title'), text: t('request.sent.text') })));
  router.post(FORM_PATH, ...postRequestForm(deps.publicBaseUrl, place));
  router.use(formFailure);
  return router;
}
