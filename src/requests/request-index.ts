import { randomUUID } from 'node:crypto';
import type { Stage } from '../domain/stages';
import type { InvalidationBus } from '../infra/invalidation-bus';
import type { Logger } from '../logger';
import { requestRepository, type RequestFilter, type RequestIndexEntry, type RequestRecord } from './request.repository';

const REQUEST_CHANGED_TOPIC = 'request-changed';

export type RequestIndex = ReturnType<typeof createRequestIndex>;

export const entryOf = (request: RequestRecord): RequestIndexEntry => ({
  id: request.id,
  ownerId: request.ownerId,
  stage: request.stage,
  country: request.location.country,
  revision: request.revision,
});

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

function removeSorted(ids: string[], id: string): void {
  const at = position(ids, id);
  if (ids[at] === id) ids.splice(at, 1);
}

/** Whether a request (as indexed or as read) belongs in a list with this filter. */
export const inList = (request: { ownerId: string; stage: Stage; country: string }, filter: RequestFilter): boolean =>
  (!filter.ownerId || request.ownerId === filter.ownerId) && (!filter.stage || request.stage === filter.stage) && (!filter.country || request.country === filter.country);

/**
 * Which requests a list page holds: every request's id, owner, stage, country and revision in memory, in id order,
 * overall and per owner. FerretDB answers any filter other than `_id` alone by reading and sorting the whole
 * collection (hundreds of ms a page at a few thousand requests), so pages take their ids from here and read the
 * documents by `_id`. Built from the database at warm-up, updated by every write of this process (`written`), and
 * refreshed from the database when another instance announces a change on the bus; reads of one request that land
 * out of order keep the highest revision.
 */
export function createRequestIndex(deps: { bus: InvalidationBus; logger: Logger }) {
  const instanceId = randomUUID();
  const entries = new Map<string, RequestIndexEntry>();
  const allIds: string[] = [];
  const idsByOwner = new Map<string, string[]>();
  let warming: Promise<number> | undefined;

  function apply(id: string, incoming: RequestIndexEntry | undefined): void {
    const held = entries.get(id);
    if (incoming && held && held.revision > incoming.revision) return;
    if (incoming) {
      entries.set(id, incoming);
      if (held) return;
      insertSorted(allIds, id);
      const owned = idsByOwner.get(incoming.ownerId);
      if (owned) insertSorted(owned, id);
      else idsByOwner.set(incoming.ownerId, [id]);
    } else if (held) {
      entries.delete(id);
      removeSorted(allIds, id);
      removeSorted(idsByOwner.get(held.ownerId) ?? [], id);
    }
  }

  /** Reads the request again and keeps what the database says (gone: out of the index). */
  const reload = (id: string): Promise<void> =>
    requestRepository
      .findById(id)
      .then((request) => apply(id, request && entryOf(request)))
      .catch((error: unknown) => deps.logger.error({ err: String(error), requestId: id }, 'request index: refresh failed'));

  async function build(): Promise<number> {
    // Listening first: a change announced while the collection is read is applied by revision like any other.
    deps.bus.subscribe(REQUEST_CHANGED_TOPIC, (payload) => {
      const [origin, id] = payload.split(' ');
      if (origin !== instanceId && id) void reload(id);
    });
    for await (const entry of requestRepository.indexEntries()) apply(entry.id, entry);
    return entries.size;
  }

  return {
    get size() {
      return entries.size;
    },

    /** Builds the index from the database, once; later calls wait for the same build. Resolves to the number held. */
    warmUp(): Promise<number> {
      warming ??= build();
      return warming;
    },

    /** A request this process wrote (or read fresher than the index): applied here, then announced to the others. */
    async written(request: RequestRecord): Promise<void> {
      apply(request.id, entryOf(request));
      await deps.bus.publish(REQUEST_CHANGED_TOPIC, `${instanceId} ${request.id}`);
    },

    /** A request as just read from the database (undefined: gone), kept if fresher than what the index holds. */
    refresh(id: string, request: RequestRecord | undefined): void {
      apply(id, request && entryOf(request));
    },

    /** Up to `limit` ids, ascending, after `afterId`, of requests the index holds in the list with `filter`. */
    list(filter: RequestFilter, afterId: string | undefined, limit: number): string[] {
      const ids = filter.ownerId ? (idsByOwner.get(filter.ownerId) ?? []) : allIds;
      const page: string[] = [];
      let at = afterId ? position(ids, afterId) : 0;
      if (afterId && ids[at] === afterId) at += 1;
      for (; at < ids.length && page.length < limit; at += 1) {
        if (inList(entries.get(ids[at]!)!, filter)) page.push(ids[at]!);
      }
      return page;
    },
  };
}
