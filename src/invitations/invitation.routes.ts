import { allow } from '../http/auth';
import { listCursor } from '../http/pagination';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import { presentInvitation } from './invitation.presenter';
import { declineInputSchema, invitationInputSchema, invitationListQuerySchema } from './invitation.schemas';
import type { InvitationService } from './invitation.service';

export function invitationRoutes(invitations: InvitationService): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/v1/requests/{id}/invitations',
      handlers: [
        allow('admin', 'partner', 'requester'),
        async (req, res) => {
          const id = pathId(req);
          const { expertId } = parseInput(invitationInputSchema, req.body ?? {}, 'body');
          const invitation = await invitations.inviteByCaller(principalOf(req), id, expertId);
          res.status(201).location(`/v1/invitations/${invitation.id}`).json(presentInvitation(invitation));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/invitations',
      handlers: [
        allow('admin', 'expert'),
        async (req, res) => {
          const query = parseInput(invitationListQuerySchema, req.query, 'query');
          const now = new Date();
          const cursor = listCursor('invitations', query);
          const page = cursor.page(await invitations.list(principalOf(req), query.status, cursor.afterId, query.limit + 1, now));
          res.json({ items: page.items.map((invitation) => presentInvitation(invitation, now)), nextCursor: page.nextCursor });
        },
      ],
    },
    {
      method: 'post',
      path: '/v1/invitations/{id}/accept',
      handlers: [allow('admin', 'expert'), noBody, async (req, res) => void res.json(presentInvitation(await invitations.accept(principalOf(req), pathId(req))))],
    },
    {
      method: 'post',
      path: '/v1/invitations/{id}/decline',
      handlers: [
        allow('admin', 'expert'),
        async (req, res) => {
          const id = pathId(req);
          const { reason } = parseInput(declineInputSchema, req.body ?? {}, 'body');
          res.json(presentInvitation(await invitations.decline(principalOf(req), id, reason)));
        },
      ],
    },
  ];
}
