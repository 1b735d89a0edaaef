import type { Response } from 'express';
import { allow } from '../http/auth';
import { ifMatchPrecondition } from '../http/conditional';
import { etagOf, setEtag } from '../http/etag';
import { listCursor } from '../http/pagination';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import type { IdempotencyRunner } from '../idempotency/idempotency.http';
import { presentExpert } from './expert.presenter';
import type { ExpertRecord } from './expert.repository';
import { expertInputSchema, expertListQuerySchema, expertPatchSchema } from './expert.schemas';
import type { ExpertService } from './expert.service';

function sendExpert(res: Response, expert: ExpertRecord, status = 200): void {
  setEtag(res, expert.revision);
  res.status(status).json(presentExpert(expert));
}

export function expertRoutes(experts: ExpertService, idempotent: IdempotencyRunner): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/v1/experts',
      handlers: [
        allow('admin', 'partner'),
        async (req, res) => {
          const input = parseInput(expertInputSchema, req.body, 'body');
          await idempotent(req, res, input, async () => {
            const expert = await experts.create(principalOf(req), input);
            return { status: 201, body: presentExpert(expert), headers: { Location: `/v1/experts/${expert.id}`, ETag: etagOf(expert.revision) } };
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/experts',
      handlers: [
        allow('admin', 'partner', 'expert'),
        async (req, res) => {
          const query = parseInput(expertListQuerySchema, req.query, 'query');
          const cursor = listCursor('experts', query);
          const page = cursor.page(await experts.list(principalOf(req), query, cursor.afterId));
          res.json({ items: page.items.map(presentExpert), nextCursor: page.nextCursor });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/experts/{id}',
      handlers: [allow('admin', 'partner', 'expert'), async (req, res) => sendExpert(res, await experts.get(principalOf(req), pathId(req)))],
    },
    {
      method: 'patch',
      path: '/v1/experts/{id}',
      handlers: [
        allow('admin', 'partner', 'expert'),
        async (req, res) => {
          const id = pathId(req);
          const patch = parseInput(expertPatchSchema, req.body, 'body');
          sendExpert(res, await experts.update(principalOf(req), id, ifMatchPrecondition(req), patch));
        },
      ],
    },
    {
      method: 'delete',
      path: '/v1/experts/{id}',
      handlers: [
        allow('admin', 'partner', 'expert'),
        noBody,
        async (req, res) => {
          await experts.erase(principalOf(req), pathId(req));
          res.status(204).end();
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/experts/{id}/export',
      handlers: [
        allow('admin', 'partner', 'expert'),
        async (req, res) => {
          const { expert, ...rest } = await experts.export(principalOf(req), pathId(req));
          res.json({ exportedAt: rest.exportedAt, profile: presentExpert(expert), apiKeys: rest.apiKeys, mails: rest.mails });
        },
      ],
    },
  ];
}
