import { allow } from '../http/auth';
import { listCursor } from '../http/pagination';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import { presentCreatedWebhook, presentDelivery, presentWebhook } from './webhook.presenter';
import { deliveryListQuerySchema, webhookInputSchema, webhookListQuerySchema } from './webhook.schemas';
import type { WebhookService } from './webhook.service';

const manage = allow('admin', 'partner');

export function webhookRoutes(webhooks: WebhookService): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/v1/webhooks',
      handlers: [
        manage,
        async (req, res) => {
          const endpoint = await webhooks.register(principalOf(req), parseInput(webhookInputSchema, req.body, 'body'));
          res.status(201).location(`/v1/webhooks/${endpoint.id}`).json(presentCreatedWebhook(endpoint));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/webhooks',
      handlers: [
        manage,
        async (req, res) => {
          const query = parseInput(webhookListQuerySchema, req.query, 'query');
          const cursor = listCursor('webhooks', query);
          const page = cursor.page(await webhooks.list(principalOf(req), query, cursor.afterId));
          res.json({ items: page.items.map(presentWebhook), nextCursor: page.nextCursor });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/webhooks/{id}',
      handlers: [manage, async (req, res) => void res.json(presentWebhook(await webhooks.get(principalOf(req), pathId(req))))],
    },
    {
      method: 'delete',
      path: '/v1/webhooks/{id}',
      handlers: [
        manage,
        noBody,
        async (req, res) => {
          await webhooks.remove(principalOf(req), pathId(req));
          res.status(204).end();
        },
      ],
    },
    {
      method: 'post',
      path: '/v1/webhooks/{id}/enable',
      handlers: [manage, noBody, async (req, res) => void res.json(presentWebhook(await webhooks.enable(principalOf(req), pathId(req))))],
    },
    {
      method: 'get',
      path: '/v1/webhooks/{id}/deliveries',
      handlers: [
        manage,
        async (req, res) => {
          const id = pathId(req);
          const { limit } = parseInput(deliveryListQuerySchema, req.query, 'query');
          res.json({ items: (await webhooks.deliveries(principalOf(req), id, limit)).map(presentDelivery) });
        },
      ],
    },
  ];
}
