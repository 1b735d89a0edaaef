import { randomUUID } from 'node:crypto';
import { MatchingEngine, suggestSkills, type MatchWeights, type SuggestionLanguage } from '../domain/matching';
import { OPEN_STAGES } from '../domain/stages';
import { AppError } from '../errors';
import { expertRepository, type ExpertRecord } from '../experts/expert.repository';
import type { ExpertChangeListener } from '../experts/expert.service';
import type { Principal } from '../http/principal';
import type { InvalidationBus } from '../infra/invalidation-bus';
import { matchRankingDuration } from '../infra/metrics';
import type { Logger } from '../logger';
import { requestRepository, type RequestRecord } from '../requests/request.repository';
import type { RequestService } from '../requests/request.service';
import { loadMatchingData } from './matching-data';
import { toExpertForMatching, toRequestForMatching } from './matching.mappers';

const EXPERT_CHANGED_TOPIC = 'expert-changed';

export type MatchingService = ReturnType<typeof createMatchingService>;

/**
 * Owns the in-memory index of analysed profiles: built once at start-up, updated on every expert write here,
 * and refreshed from the database when another instance announces a change on the bus.
 */
export function createMatchingService(deps: { weights: Partial<MatchWeights>; bus: InvalidationBus; logger: Logger; requests: RequestService }) {
  const { taxonomy, gazetteer } = loadMatchingData();
  const engine = new MatchingEngine({ taxonomy, gazetteer, weights: deps.weights });
  const instanceId = randomUUID();

  const rank = (request: RequestRecord, limit: number) => {
    const stop = matchRankingDuration.startTimer();
    try {
      return engine.rank(toRequestForMatching(request), { limit, excludeExpertIds: new Set(request.invitedExpertIds) });
    } finally {
      stop();
    }
  };
  const index = (expert: ExpertRecord) => engine.upsertExpert(toExpertForMatching(expert));
  const announce = (expertId: string) => deps.bus.publish(EXPERT_CHANGED_TOPIC, `${instanceId} ${expertId}`);

  deps.bus.subscribe(EXPERT_CHANGED_TOPIC, (payload) => {
    const [origin, expertId] = payload.split(' ');
    if (origin === instanceId || !expertId) return;
    expertRepository
      .findById(expertId)
      .then((expert) => (expert ? index(expert) : engine.removeExpert(expertId)))
      .catch((error: unknown) => deps.logger.error({ err: String(error), expertId }, 'matching index: refresh failed'));
  });

  const listener: ExpertChangeListener = {
    async expertChanged(expert) {
      index(expert);
      await announce(expert.id);
    },
    async expertRemoved(expertId) {
      engine.removeExpert(expertId);
      await announce(expertId);
    },
  };

  async function expertsById(ids: string[]): Promise<Map<string, ExpertRecord>> {
    const experts = await Promise.all(ids.map((id) => expertRepository.findById(id)));
    return new Map(experts.filter((expert): expert is ExpertRecord => expert !== undefined).map((expert) => [expert.id, expert]));
  }

  return {
    listener,
    get indexedExperts() {
      return engine.size;
    },

    async warmUp(): Promise<number> {
      for await (const expert of expertRepository.all()) index(expert);
      return engine.size;
    },

    /** The best feasible experts not yet invited to the request. */
    candidatesFor: rank,

    verdictFor(request: RequestRecord, expertId: string) {
      return engine.explain(toRequestForMatching(request), expertId);
    },

    async matchesForRequest(principal: Principal, requestId: string, limit: number) {
      const request = await deps.requests.get(principal, requestId);
      const ranked = rank(request, limit);
      const experts = await expertsById(ranked.map((candidate) => candidate.expertId));
      const items = ranked.flatMap((candidate) => {
        const expert = experts.get(candidate.expertId);
        if (!expert) return [];
        return [{ ...candidate, expert: { name: expert.name, ...(expert.headline ? { headline: expert.headline } : {}), location: expert.location } }];
      });
      return { requestId, computedAt: new Date().toISOString(), items };
    },

    async explain(principal: Principal, requestId: string, expertId: string) {
      const request = await deps.requests.get(principal, requestId);
      const verdict = engine.explain(toRequestForMatching(request), expertId);
      if (!verdict) throw new AppError('not_found', 'Expert not found');
      return { requestId, ...verdict };
    },

    async requestsForExpert(principal: Principal, expertId: string, limit: number) {
      if (principal.role === 'expert' && principal.expertId !== expertId) throw new AppError('not_found', 'Expert not found');
      if (!(await expertRepository.exists(expertId))) throw new AppError('not_found', 'Expert not found');
      const open = await requestRepository.findInStages(OPEN_STAGES);
      const byId = new Map(open.map((request) => [request.id, request]));
      const ranked = engine.rankRequestsForExpert(expertId, open.map(toRequestForMatching), limit);
      const items = ranked.map(({ expertId: _expert, ...match }) => {
        const request = byId.get(match.requestId)!;
        return {
          ...match,
          request: {
            title: request.title,
            organization: request.organization,
            mode: request.mode,
            location: request.location,
            stage: request.stage,
            ...(request.deadline ? { deadline: request.deadline } : {}),
          },
        };
      });
      return { expertId, computedAt: new Date().toISOString(), items };
    },

    suggestSkills(query: string, lang: SuggestionLanguage | undefined, limit: number) {
      return { items: suggestSkills(taxonomy, query, lang, limit) };
    },
  };
}
