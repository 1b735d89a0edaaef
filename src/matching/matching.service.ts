import { MatchingEngine, suggestSkills, summariseExclusions, type ExclusionSummary, type AnalysisLanguage, type MatchWeights, type SuggestionLanguage } from '../domain/matching';
import type { MailLanguage } from '../domain/people';
import { OPEN_STAGES } from '../domain/stages';
import { notFound } from '../errors';
import type { ExpertDirectory } from '../experts/expert-directory';
import type { Principal } from '../http/principal';
import { matchRankingDuration } from '../infra/metrics';
import { requestRepository, type RequestRecord } from '../requests/request.repository';
import type { RequestService } from '../requests/request.service';
import { loadMatchingData } from './matching-data';
import { toExpertForMatching, toRequestForMatching } from './matching.mappers';
import { localiseExclusions, localiseReasons, prepareReasonMessages } from './reason-messages';

export type MatchingService = ReturnType<typeof createMatchingService>;

/** Owns the in-memory index of analysed profiles, fed by the expert directory as profiles change. */
export function createMatchingService(deps: { weights: Partial<MatchWeights>; directory: ExpertDirectory; requests: RequestService }) {
  const { taxonomy, gazetteer } = loadMatchingData();
  const engine = new MatchingEngine({ taxonomy, gazetteer, weights: deps.weights });
  deps.directory.subscribe((expertId, expert) => (expert ? engine.upsertExpert(toExpertForMatching(expert)) : engine.removeExpert(expertId)));

  const rank = (request: RequestRecord, limit: number) => {
    const stop = matchRankingDuration.startTimer();
    try {
      return engine.rank(toRequestForMatching(request), { limit, excludeExpertIds: new Set(request.invitedExpertIds) });
    } finally {
      stop();
    }
  };

  return {
    /** Builds the directory (and through it this index) from the database, and readies the reason messages. */
    warmUp: () => {
      prepareReasonMessages();
      return deps.directory.warmUp();
    },

    /** The best feasible experts not yet invited to the request. */
    candidatesFor: rank,

    /**
     * What keeps the request's likeliest experts out: the constraints failed by the 10 best-scoring experts not yet
     * invited, feasible or not (the input of the unmatched mail's "what would help"). Scores every expert once.
     */
    exclusionsAmongBest(request: RequestRecord): ExclusionSummary {
      return summariseExclusions(engine.bestRegardlessOfConstraints(toRequestForMatching(request), { limit: 10, excludeExpertIds: new Set(request.invitedExpertIds) }));
    },

    verdictFor(request: RequestRecord, expertId: string) {
      return engine.explain(toRequestForMatching(request), expertId);
    },

    /** The request's best candidates, their reasons in `language` for the organisation. */
    async matchesForRequest(principal: Principal, requestId: string, limit: number, language: MailLanguage) {
      const request = await deps.requests.get(principal, requestId);
      const ranked = rank(request, limit);
      const items = ranked.flatMap((candidate) => {
        const expert = deps.directory.get(candidate.expertId);
        if (!expert) return [];
        return [{ ...candidate, reasons: localiseReasons(candidate.reasons, language, 'organisation'), expert: { name: expert.name, ...(expert.headline ? { headline: expert.headline } : {}), location: expert.location } }];
      });
      return { requestId, computedAt: new Date().toISOString(), items };
    },

    /** One expert's verdict on the request, its reasons and exclusions in `language` for the organisation. */
    async explain(principal: Principal, requestId: string, expertId: string, language: MailLanguage) {
      const request = await deps.requests.get(principal, requestId);
      const verdict = engine.explain(toRequestForMatching(request), expertId);
      if (!verdict) throw notFound('Expert');
      return { requestId, ...verdict, exclusions: localiseExclusions(verdict.exclusions, language), reasons: localiseReasons(verdict.reasons, language, 'organisation') };
    },

    /** Open requests the expert could take, best first, the reasons in `language` for the expert. */
    async requestsForExpert(principal: Principal, expertId: string, limit: number, language: MailLanguage) {
      if (principal.role === 'expert' && principal.expertId !== expertId) throw notFound('Expert');
      if (!deps.directory.get(expertId)) throw notFound('Expert');
      const open = await requestRepository.findInStages(OPEN_STAGES);
      const byId = new Map(open.map((request) => [request.id, request]));
      const ranked = engine.rankRequestsForExpert(expertId, open.map(toRequestForMatching), limit);
      const items = ranked.map(({ expertId: _expert, ...match }) => {
        const request = byId.get(match.requestId)!;
        return {
          ...match,
          reasons: localiseReasons(match.reasons, language, 'expert'),
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

    suggestNeeds(text: string, language: AnalysisLanguage | undefined) {
      return engine.suggestNeeds(text, language);
    },
  };
}
