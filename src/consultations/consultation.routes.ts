import type { Request } from 'express';
import { allow } from '../http/auth';
import { setEtag } from '../http/etag';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import { noBody, parseInput } from '../http/validate';
import { presentRequest } from '../requests/request.presenter';
import type { RequestRecord } from '../requests/request.repository';
import { cancelInputSchema, completeInputSchema, feedbackInputSchema, scheduleInputSchema } from './consultation.schemas';
import type { ConsultationService } from './consultation.service';

type Step = (req: Request, id: string) => Promise<RequestRecord>;

/** One POST per lifecycle step; who may take it is decided by the lifecycle rules, not by role alone. */
export function consultationRoutes(consultations: ConsultationService): RouteDefinition[] {
  const step = (path: string, run: Step, options: { takesBody: boolean } = { takesBody: true }): RouteDefinition => ({
    method: 'post',
    path: `/v1/requests/{id}/${path}`,
    handlers: [
      allow('admin', 'partner', 'requester', 'expert'),
      ...(options.takesBody ? [] : [noBody]),
      async (req, res) => {
        const request = await run(req, pathId(req));
        setEtag(res, request.revision);
        res.json(presentRequest(request, principalOf(req)));
      },
    ],
  });
  return [
    step('schedule', (req, id) => {
      const input = parseInput(scheduleInputSchema, req.body, 'body');
      return consultations.schedule(principalOf(req), id, { ...input, startsAt: new Date(input.startsAt) });
    }),
    step('start', (req, id) => consultations.start(principalOf(req), id), { takesBody: false }),
    step('complete', (req, id) => consultations.complete(principalOf(req), id, parseInput(completeInputSchema, req.body, 'body').summary)),
    step('feedback', (req, id) => consultations.giveFeedback(principalOf(req), id, parseInput(feedbackInputSchema, req.body, 'body'))),
    step('cancel', (req, id) => consultations.cancel(principalOf(req), id, parseInput(cancelInputSchema, req.body, 'body').reason)),
    step('reopen', (req, id) => consultations.reopen(principalOf(req), id), { takesBody: false }),
  ];
}
