import { createHash, randomBytes } from 'node:crypto';
import type { ActionPurpose, PartyRole } from '../domain/action-links';
import { actionTokenRepository } from './action-token.repository';

/** A raw token as it appears in a link: 32 random bytes, base64url without padding (RFC 4648 §5), 43 characters. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The stored form of a raw token: its SHA-256, hex. Only this is kept (Discourse's email_token.rb). */
export const hashToken = (raw: string): string => createHash('sha256').update(raw, 'utf8').digest('hex');

/** The path of a link; the route and the log redaction both know it by this prefix. */
export const ACTION_LINK_PREFIX = '/a/';
/** The path of a status-page link (purpose `view_request`): a page, not one button. */
export const STATUS_PAGE_PREFIX = '/r/';

const prefixOf = (purpose: ActionPurpose): string => (purpose === 'view_request' ? STATUS_PAGE_PREFIX : ACTION_LINK_PREFIX);

export interface LinkToIssue {
  purpose: ActionPurpose;
  subjectId: string;
  partyRole: PartyRole;
  partyId: string;
  choice?: string;
  expiresAt: Date;
}

export interface IssuedLinks {
  /** One URL per link asked for, in the same order. */
  urls: string[];
  /** The stored tokens' ids, to delete them again when the mail that would carry them was not recorded. */
  tokenIds: string[];
}

export type IssueLinks = (links: LinkToIssue[]) => Promise<IssuedLinks>;

/**
 * Makes the links (`<baseUrl>/a/<token>`, `<baseUrl>/r/<token>` for a status page) and stores their tokens' hashes. The raw tokens exist only in the returned
 * URLs: whoever calls this puts them in a mail and nowhere else.
 */
export function createLinkIssuer(baseUrl: string): IssueLinks {
  return async (links) => {
    const issued = links.map((link) => {
      const raw = randomBytes(32).toString('base64url');
      return { url: `${baseUrl}${prefixOf(link.purpose)}${raw}`, token: { id: hashToken(raw), ...link } };
    });
    await actionTokenRepository.insertMany(issued.map((link) => link.token));
    return { urls: issued.map((link) => link.url), tokenIds: issued.map((link) => link.token.id) };
  };
}
