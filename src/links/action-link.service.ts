import { SINGLE_USE_PURPOSES, type ActionPurpose, type LinkState } from '../domain/action-links';
import { AppError } from '../errors';
import { actionTokenRepository, type ActionTokenRecord } from './action-token.repository';
import { hashToken, TOKEN_SHAPE } from './action-tokens';
import type { LinkHandler, LinkHandlers, LinkResult, Reader } from './link-handler';

/** A known link: its token, the handler of its purpose, what it is about, its reader, and what it can do now. */
export interface KnownLink {
  state: LinkState;
  purpose: ActionPurpose;
  token: ActionTokenRecord;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the subject's type belongs to the purpose's handler
  handler: LinkHandler<any, any>;
  subject: unknown;
  reader: Reader | undefined;
}

/** What a link is about and what it can do now; `unknown` for a token that is malformed, tampered, never issued or erased. */
export type LinkView = { state: 'unknown' } | KnownLink;

/**
 * Why a link did nothing. Beyond LinkState: `unavailable` (the service refused although the link was ready by its own
 * rule, e.g. the expert has no free slot) and `invalid` (the form did not parse with the API's schema).
 */
export type LinkOutcome = { done: true; link: KnownLink; result?: LinkResult } | { done: false; view: LinkView | (Omit<KnownLink, 'state'> & { state: 'unavailable' | 'invalid' }) };

export type ActionLinkService = ReturnType<typeof createActionLinkService>;

/**
 * The one-click links behind `/a/{token}` (issue 10 item 4), for every purpose in `handlers`. `inspect` only reads
 * (GET shows); `act` performs the link's action through the same service call the API makes, as the party the link
 * stands for (POST acts).
 */
export function createActionLinkService(handlers: LinkHandlers) {
  async function inspect(raw: string, now = new Date()): Promise<LinkView> {
    if (!TOKEN_SHAPE.test(raw)) return { state: 'unknown' };
    const token = await actionTokenRepository.findById(hashToken(raw));
    // A status-page token (`view_request`) is no button: at /a/ it is as unknown as a tampered one.
    const handler = token && token.purpose !== 'view_request' ? handlers[token.purpose] : undefined;
    if (!token || !handler) return { state: 'unknown' };
    const subject: unknown = await handler.load(token);
    if (subject === undefined) return { state: 'unknown' };
    return { state: handler.state(token, subject, now), purpose: token.purpose, token, handler, subject, reader: handler.reader(subject) };
  }

  return {
    inspect,

    /**
     * Performs the link's action once. The form is parsed first (a bad form changes nothing). A single-use token is
     * marked used first, as the single writer of its revision (src/infra/claims.ts), so of concurrent POSTs exactly
     * one acts and the others answer `used`. When the action then fails, the token is given back (whether the
     * action is still possible is decided at the next use); an unexpected error is rethrown after that.
     */
    async act(raw: string, form: Record<string, unknown>, now = new Date()): Promise<LinkOutcome> {
      const view = await inspect(raw, now);
      if (view.state !== 'ready' || !('token' in view)) return { done: false, view };
      let input: unknown;
      try {
        input = view.handler.parse(form);
      } catch (error) {
        if (error instanceof AppError && error.code === 'validation_failed') return { done: false, view: { ...view, state: 'invalid' } };
        throw error;
      }
      const singleUse = SINGLE_USE_PURPOSES.has(view.purpose);
      const used = singleUse ? await actionTokenRepository.markUsed(view.token, now) : view.token;
      // Another request holds the token's revision: it is using the link right now (its write may not be visible yet).
      if (!used) return { done: false, view: { ...view, state: 'used' } };
      try {
        const result = await view.handler.act(used, view.subject, input, now);
        return { done: true, link: { ...view, token: used }, ...(result ? { result } : {}) };
      } catch (error) {
        if (singleUse) await actionTokenRepository.markUnused(used);
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
        const after = await inspect(raw, now);
        return { done: false, view: after.state === 'ready' && 'token' in after ? { ...after, state: 'unavailable' } : after };
      }
    },
  };
}
