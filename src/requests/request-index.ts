import type { Stage } from '../domain/stages';
import type { InvalidationBus } from '../infra/invalidation-bus';
import { createListIndex, type IndexEntry } from '../infra/list-index';
import type { Logger } from '../logger';
import { requestRepository, type RequestRecord } from './request.repository';

/** What the request index keeps of a request: `group` is its owner. */
export interface RequestIndexEntry extends IndexEntry {
  stage: Stage;
  country: string;
}

/** A request list's filter: the owner (all owners when undefined), stage and country. */
export interface RequestFilter {
  ownerId?: string;
  stage?: Stage;
  country?: string;
}

export type RequestIndex = ReturnType<typeof createRequestIndex>;

export const requestEntryOf = (request: Pick<RequestRecord, 'id' | 'ownerId' | 'stage' | 'location' | 'revision'>): RequestIndexEntry => ({
  id: request.id,
  group: request.ownerId,
  stage: request.stage,
  country: request.location.country,
  revision: request.revision,
});

/** Whether a request belongs in a list with this filter (the owner is the index's group). */
export const inRequestList = (filter: RequestFilter) => (entry: RequestIndexEntry): boolean =>
  (!filter.ownerId || entry.group === filter.ownerId) && (!filter.stage || entry.stage === filter.stage) && (!filter.country || entry.country === filter.country);

/** Which requests GET /v1/requests pages through, per owner, with stage and country (see createListIndex). */
export const createRequestIndex = (deps: { bus: InvalidationBus; logger: Logger }) =>
  createListIndex<RequestIndexEntry, RequestRecord>({
    topic: 'request-changed',
    ...deps,
    keepDocuments: true,
    entryOf: requestEntryOf,
    load: (id) => requestRepository.findById(id),
    all: async function* () {
      for await (const request of requestRepository.indexed()) yield requestEntryOf(request);
    },
  });
