import { z } from 'zod';
import { allow } from '../http/auth';
import { idSchema } from '../http/common.schemas';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { parseInput } from '../http/validate';
import { partnerEmbedInputSchema } from './partner-embed.schemas';
import type { PartnerEmbedService } from './partner-embed.service';

const ownerParams = z.object({ ownerId: idSchema });
const present = (embed: { ownerId: string; origins: string[]; updatedAt?: Date }) => ({
  ownerId: embed.ownerId,
  origins: embed.origins,
  ...(embed.updatedAt ? { updatedAt: embed.updatedAt.toISOString() } : {}),
});

/** GET and PUT /v1/partners/{ownerId}/embed: the origins allowed to embed the request form. */
export function partnerEmbedRoutes(embeds: PartnerEmbedService, options: { allowLocalHttp: boolean }): RouteDefinition[] {
  const inputSchema = partnerEmbedInputSchema(options);
  return [
    {
      method: 'get',
      path: '/v1/partners/{ownerId}/embed',
      handlers: [
        allow('admin', 'partner'),
        async (req, res) => {
          const { ownerId } = parseInput(ownerParams, req.params, 'path');
          res.json(present(await embeds.get(principalOf(req), ownerId)));
        },
      ],
    },
    {
      method: 'put',
      path: '/v1/partners/{ownerId}/embed',
      handlers: [
        allow('admin', 'partner'),
        async (req, res) => {
          const { ownerId } = parseInput(ownerParams, req.params, 'path');
          const input = parseInput(inputSchema, req.body, 'body');
          res.json(present(await embeds.replace(principalOf(req), ownerId, input)));
        },
      ],
    },
  ];
}
