import { z } from 'zod';
import { allow } from '../http/auth';
import { idSchema } from '../http/common.schemas';
import { setEtag } from '../http/etag';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import { presentRequest } from '../requests/request.presenter';
import { proposalInputSchema, slotIdSchema } from './proposal.schemas';
import type { ProposalService } from './proposal.service';

const pickParams = z.object({ id: idSchema, slotId: slotIdSchema });

/** Proposing slots (the accepted expert) and picking one (the owner); who may do which is decided by the service. */
export function proposalRoutes(proposals: ProposalService): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/v1/requests/{id}/proposals',
      handlers: [
        allow('admin', 'partner', 'requester', 'expert'),
        async (req, res) => {
          const id = pathId(req);
          const input = parseInput(proposalInputSchema, req.body, 'body');
          const request = await proposals.propose(principalOf(req), id, input);
          setEtag(res, request.revision);
          res.json(presentRequest(request, principalOf(req)));
        },
      ],
    },
    {
      method: 'post',
      path: '/v1/requests/{id}/proposals/{slotId}/pick',
      handlers: [
        allow('admin', 'partner', 'requester', 'expert'),
        noBody,
        async (req, res) => {
          const { id, slotId } = parseInput(pickParams, req.params, 'path');
          const request = await proposals.pick(principalOf(req), id, slotId);
          setEtag(res, request.revision);
          res.json(presentRequest(request, principalOf(req)));
        },
      ],
    },
  ];
}
