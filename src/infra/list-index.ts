import { randomUUID } from 'node:crypto';
import type { InvalidationBus } from './invalidation-bus';
import type { Logger } from '../logger';

/** What a list index keeps of a document: its id, the group a caller's list is confined to, and its revision. */
export interface IndexEntry {
  id: string;
  /** The owner (requests) or the expert (invitations) whose lists hold the document. */
  group: string;
  revision: number;
}

export interface ListIndex<Entry extends IndexEntry, Doc> {
  readonly size: number;
  /** Builds the index from the database, once; later calls wait for the same build. Resolves to the number held. */
  warmUp(): Promise<number>;
  /** A document this process wrote: applied here, then announced to the other instances. */
  written(doc: Doc): Promise<void>;
  /** A document as just read from the database (undefined: gone), kept if fresher than what the index holds. */
  refresh(id: string, doc: Doc | undefined): void;
  /** The document at the revision the index holds, if this process has read or written it in the last CACHE_TTL_MS. */
  cached(id: string): Doc | undefined;
  /** Up to `limit` ids, ascending, after `afterId`, of entries in `group` (every group when undefined) that `keep` keeps. */
  list(group: string | undefined, keep: (entry: Entry) => boolean, afterId: string | undefined, limit: number): string[];
}

/** How many whole documents an index keeps for its pages (least recently used go first). */
const CACHE_DOCUMENTS = 10_000;
/**
 * How long a kept document may serve pages: it is current as far as the bus has told this instance, and this bounds
 * how long a change whose announcement was lost (Redis down) can stay unseen on a page.
 */
const CACHE_TTL_MS = 30_000;

/** Where `id` is, or would go, in the ascending list `ids` (binary search). */
function position(ids: string[], id: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertSorted(ids: string[], id: string): void {
  const at = position(ids, id);
  if (ids[at] !== id) ids.splice(at, 0, id);
}

function removeSorted(ids: string[] | undefined, id: string): void {
  const at = ids ? position(ids, id) : -1;
  if (ids && ids[at] === id) ids.splice(at, 1);
}

/**
 * What a list page holds, in memory: an entry per document, in id order, overall and per group. FerretDB answers any
 * filter other than `_id` alone by reading and sorting the whole collection, so pages take their ids from here (see
 * readPage). Built from the database at warm-up, updated by every write of this process (`written`), and refreshed
 * from the database (`load`) when another instance announces a change on the bus under `topic`; reads of one
 * document that land out of order keep the highest revision. Each read by `_id` still costs about 4 ms on SQLite, so
 * with `keepDocuments` the documents last written or read are kept too (CACHE_DOCUMENTS), and serve a page while their revision is the
 * one the index holds and they are younger than CACHE_TTL_MS.
 */
export function createListIndex<Entry extends IndexEntry, Doc>(deps: {
  topic: string;
  bus: InvalidationBus;
  logger: Logger;
  entryOf(doc: Doc): Entry;
  /** Whether to keep the documents too (only where every write goes through `written`). */
  keepDocuments: boolean;
  /** The document as the database holds it now; undefined when it is gone. */
  load(id: string): Promise<Doc | undefined>;
  /** Every document's entry, in any order. */
  all(): AsyncIterable<Entry>;
}): ListIndex<Entry, Doc> {
  const instanceId = randomUUID();
  const entries = new Map<string, Entry>();
  const kept = new Map<string, { doc: Doc; revision: number; at: number }>();

  function remember(doc: Doc): void {
    if (!deps.keepDocuments) return;
    const { id, revision } = deps.entryOf(doc);
    kept.delete(id);
    kept.set(id, { doc, revision, at: Date.now() });
    if (kept.size > CACHE_DOCUMENTS) kept.delete(kept.keys().next().value!);
  }
  const allIds: string[] = [];
  const idsByGroup = new Map<string, string[]>();
  let warming: Promise<number> | undefined;

  function apply(id: string, incoming: Entry | undefined): void {
    const held = entries.get(id);
    if (incoming && held && held.revision > incoming.revision) return;
    if (incoming) {
      entries.set(id, incoming);
      if (held) return;
      insertSorted(allIds, id);
      const grouped = idsByGroup.get(incoming.group);
      if (grouped) insertSorted(grouped, id);
      else idsByGroup.set(incoming.group, [id]);
    } else if (held) {
      entries.delete(id);
      removeSorted(allIds, id);
      removeSorted(idsByGroup.get(held.group), id);
    }
  }

  // Subscribed at once, as the bus's other users are. Before the build starts nothing is held, so nothing needs
  // refreshing; from then on a change announced while the collection is read is applied by revision like any other.
  deps.bus.subscribe(deps.topic, (payload) => {
    const [origin, id] = payload.split(' ');
    if (!warming || origin === instanceId || !id) return;
    deps
      .load(id)
      .then((doc) => refresh(id, doc))
      .catch((error: unknown) => deps.logger.error({ err: String(error), id, topic: deps.topic }, 'list index: refresh failed'));
  });

  function refresh(id: string, doc: Doc | undefined): void {
    apply(id, doc && deps.entryOf(doc));
    if (doc && entries.get(id)?.revision === deps.entryOf(doc).revision) remember(doc);
    else if (!doc) kept.delete(id);
  }

  async function build(): Promise<number> {
    for await (const entry of deps.all()) apply(entry.id, entry);
    return entries.size;
  }

  return {
    get size() {
      return entries.size;
    },
    warmUp() {
      warming ??= build();
      return warming;
    },
    async written(doc) {
      const { id } = deps.entryOf(doc);
      refresh(id, doc);
      await deps.bus.publish(deps.topic, `${instanceId} ${id}`);
    },
    refresh,
    cached(id) {
      const held = kept.get(id);
      if (!held || held.revision !== entries.get(id)?.revision || Date.now() - held.at > CACHE_TTL_MS) return undefined;
      kept.delete(id);
      kept.set(id, held);
      return held.doc;
    },
    list(group, keep, afterId, limit) {
      const ids = group === undefined ? allIds : (idsByGroup.get(group) ?? []);
      const page: string[] = [];
      let at = afterId ? position(ids, afterId) : 0;
      if (afterId && ids[at] === afterId) at += 1;
      for (; at < ids.length && page.length < limit; at += 1) {
        if (keep(entries.get(ids[at]!)!)) page.push(ids[at]!);
      }
      return page;
    },
  };
}

/**
 * Up to `wanted` documents after `afterId`, in id order, of `group` (every group when undefined) that `keep` keeps:
 * the index names them; each is the document the index keeps at its current revision, or else `read` by `_id` (in
 * parallel). A document whose read shows the index was behind (another instance's change not yet announced) is
 * judged as read, the index takes it, and the page is filled up from further on.
 */
export async function readPage<Entry extends IndexEntry, Doc>(
  index: ListIndex<Entry, Doc>,
  page: { group: string | undefined; keep: (entry: Entry) => boolean; afterId: string | undefined; wanted: number },
  read: (id: string) => Promise<Doc | undefined>,
  entryOf: (doc: Doc) => Entry,
): Promise<Doc[]> {
  await index.warmUp();
  const rows: Doc[] = [];
  for (let after = page.afterId; rows.length < page.wanted; ) {
    const ids = index.list(page.group, page.keep, after, page.wanted - rows.length);
    if (ids.length === 0) break;
    const docs = await Promise.all(
      ids.map(async (id) => {
        const kept = index.cached(id);
        if (kept) return kept;
        const doc = await read(id);
        index.refresh(id, doc);
        return doc;
      }),
    );
    for (const doc of docs) if (doc && page.keep(entryOf(doc))) rows.push(doc);
    after = ids.at(-1);
  }
  return rows;
}
