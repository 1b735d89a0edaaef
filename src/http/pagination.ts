import { createHash } from 'node:crypto';
import { AppError } from '../errors';

/** The lists that page with cursors; a cursor names the one it came from. */
export type ListName = 'experts' | 'requests' | 'invitations' | 'webhooks';

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * The list's name and a digest of its filters: a cursor is a position in one query, so it is refused on another list
 * or with other filters (as Google's AIP-158 asks of page tokens). `limit` may change between pages.
 */
function bindingOf(list: ListName, filter: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.entries(filter).filter(([, value]) => value !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${list}:${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`;
}

const encode = (binding: string, lastId: string) => Buffer.from(`v2:${binding}:${lastId}`).toString('base64url');

const invalid = (message: string) => new AppError('validation_failed', 'Invalid cursor', { errors: [{ path: 'cursor', message }] });

/**
 * Cursors of one list query. `query` is the parsed query string: `limit` sets the page size, `cursor` the position
 * (`nextCursor` of the previous page), every other field is the filter the cursor is bound to.
 *
 * `afterId` is the 24-hex id the page starts after (undefined for the first page). A cursor that is not exactly the
 * text this API returned (base64url of `v2:<list>:<filter digest>:<id>`, no padding, no stray characters), or that
 * came from another list or other filters, throws a 400 `validation_failed` naming `cursor`.
 * `page(rows)` takes up to `limit + 1` rows sorted by id and keeps `limit`, with the next cursor when there are more.
 */
export function listCursor(list: ListName, query: { limit: number; cursor?: string } & Record<string, unknown>) {
  const { limit, cursor, ...filter } = query;
  const binding = bindingOf(list, filter);
  let afterId: string | undefined;
  if (cursor !== undefined) {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const match = /^v2:([a-z]+:[0-9a-f]{12}):([0-9a-f]{24})$/.exec(decoded);
    // Decoding skips characters outside the alphabet and stray trailing bits, so only the re-encoded text is canonical.
    if (!match || encode(match[1]!, match[2]!) !== cursor) throw invalid('is not a cursor this API returned');
    if (match[1] !== binding) throw invalid('belongs to another list or to other filters: start again without a cursor');
    afterId = match[2];
  }
  return {
    afterId,
    page<Row extends { id: string }>(rows: Row[]): Page<Row> {
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encode(binding, last.id) : null };
    },
  };
}
