import { AppError } from '../errors';

/** Cursors are opaque to callers: the last id of the page, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:([0-9a-f]{24})$/.exec(decoded);
  if (!match) throw new AppError('validation_failed', 'Invalid cursor', { errors: [{ path: 'cursor', message: 'is not a cursor this API returned' }] });
  return match[1];
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** Takes `limit + 1` rows sorted by id and turns them into a page. */
export function toPage<Row extends { id: string }>(rows: Row[], limit: number): Page<Row> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
