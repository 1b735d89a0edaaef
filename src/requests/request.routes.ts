import type { Response } from 'express';
import { allow } from '../http/auth';
import { ifMatchPrecondition } from '../http/conditional';
import { etagOf, setEtag } from '../http/etag';
import { listCursor } from '../http/pagination';
import { pathId } from '../http/path-params';
import { principalOf, type Principal } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import type { IdempotencyRunner } from '../idempotency/idempotency.http';
import { presentRequest, presentRequestSummary } from './request.presenter';
import type { RequestRecord } from './request.repository';
import { requestInputSchema, requestListQuerySchema, requestPatchSchema } from './request.schemas';
import type { RequestService } from './request.service';

function sendRequest(res: Response, request: RequestRecord, viewer: Principal): void {
  setEtag(res, request.revision);
  res.json(presentRequest(request, viewer));
}

const everyRole = allow('admin', 'partner', 'requester', 'expert');

export function requestRoutes(requests: RequestService, idempotent: IdempotencyRunner): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/v1/requests',
      handlers: [
        allow('admin', 'partner', 'requester'),
        async (req, res) => {
          const input = parseInput(requestInputSchema, req.body, 'body');
          await idempotent(req, res, input, async () => {
            const request = await requests.submit(principalOf(req), input);
            return { status: 201, body: presentRequest(request, principalOf(req)), headers: { Location: `/v1/requests/${request.id}`, ETag: etagOf(request.revision) } };
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/requests',
      handlers: [
        everyRole,
        async (req, res) => {
          const query = parseInput(requestListQuerySchema, req.query, 'query');
          const cursor = listCursor('requests', query);
          const page = cursor.page(await requests.list(principalOf(req), query, cursor.afterId));
          res.json({ items: page.items.map((request) => presentRequest(request, principalOf(req))), nextCursor: page.nextCursor });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/requests/{id}',
      handlers: [
        everyRole,
        async (req, res) => {
          const { request, view } = await requests.read(principalOf(req), pathId(req));
          if (view === 'full') return sendRequest(res, request, principalOf(req));
          setEtag(res, request.revision);
          res.json(presentRequestSummary(request));
        },
      ],
    },
    {
      method: 'patch',
      path: '/v1/requests/{id}',
      handlers: [
        allow('admin', 'partner', 'requester'),
        async (req, res) => {
          const id = pathId(req);
          const patch = parseInput(requestPatchSchema, req.body, 'body');
          sendRequest(res, await requests.update(principalOf(req), id, ifMatchPrecondition(req), patch), principalOf(req));
        },
      ],
    },
    {
      method: 'delete',
      path: '/v1/requests/{id}/contact',
      handlers: [
        allow('admin', 'partner', 'requester'),
        noBody,
        async (req, res) => {
          await requests.eraseContact(principalOf(req), pathId(req));
          res.status(204).end();
        },
      ],
    },
  ];
}
