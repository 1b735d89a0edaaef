import { allow } from '../http/auth';
import { pathId } from '../http/path-params';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import { apiKeyInputSchema } from './api-key.schemas';
import type { ApiKeyService } from './api-key.service';

export function apiKeyRoutes(apiKeys: ApiKeyService): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/v1/api-keys',
      handlers: [
        allow('admin'),
        async (req, res) => {
          const created = await apiKeys.create(parseInput(apiKeyInputSchema, req.body, 'body'));
          res.status(201).location(`/v1/api-keys/${created.id}`).json(created);
        },
      ],
    },
    {
      method: 'delete',
      path: '/v1/api-keys/{id}',
      handlers: [
        allow('admin'),
        noBody,
        async (req, res) => {
          await apiKeys.revoke(pathId(req));
          res.status(204).end();
        },
      ],
    },
  ];
}
