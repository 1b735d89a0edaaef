import { allow } from '../http/auth';
import { negotiateLanguage } from '../http/content-language';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { parseInput } from '../http/validate';
import { explainParamsSchema, matchesQuerySchema, needSuggestQuerySchema, skillsQuerySchema } from './matching.schemas';
import type { MatchingService } from './matching.service';

export function matchingRoutes(matching: MatchingService): RouteDefinition[] {
  return [
    {
      method: 'get',
      path: '/v1/requests/{id}/matches',
      handlers: [
        allow('admin', 'partner', 'requester'),
        async (req, res) => {
          const id = pathId(req);
          const { limit } = parseInput(matchesQuerySchema, req.query, 'query');
          res.json(await matching.matchesForRequest(principalOf(req), id, limit, negotiateLanguage(req, res)));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/requests/{id}/matches/{expertId}',
      handlers: [
        allow('admin', 'partner', 'requester'),
        async (req, res) => {
          const { id, expertId } = parseInput(explainParamsSchema, req.params, 'path');
          res.json(await matching.explain(principalOf(req), id, expertId, negotiateLanguage(req, res)));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/experts/{id}/matches',
      handlers: [
        allow('admin', 'expert'),
        async (req, res) => {
          const id = pathId(req);
          const { limit } = parseInput(matchesQuerySchema, req.query, 'query');
          res.json(await matching.requestsForExpert(principalOf(req), id, limit, negotiateLanguage(req, res)));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/skills',
      handlers: [
        async (req, res) => {
          const query = parseInput(skillsQuerySchema, req.query, 'query');
          res.json(matching.suggestSkills(query.q, query.lang, query.limit));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/skills/suggest',
      handlers: [
        (req, res) => {
          const query = parseInput(needSuggestQuerySchema, req.query, 'query');
          res.json(matching.suggestNeeds(query.text, query.language));
        },
      ],
    },
  ];
}
