import { allow } from '../http/auth';
import { acceptedLanguage } from '../http/pages';
import { pathId } from '../http/path-params';
import { principalOf } from '../http/principal';
import type { RouteDefinition } from '../http/route-table';
import type { CalendarService } from './calendar.service';

/** `GET /v1/requests/{id}/calendar.ics`: the consultation as `text/calendar` (RFC 5545 §8.1), UTF-8. */
export function calendarRoutes(calendars: CalendarService): RouteDefinition[] {
  return [
    {
      method: 'get',
      path: '/v1/requests/{id}/calendar.ics',
      handlers: [
        allow('admin', 'partner', 'requester', 'expert'),
        async (req, res) => {
          const content = await calendars.forParty(principalOf(req), pathId(req), acceptedLanguage(req));
          res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="consultation.ics"');
          res.send(content);
        },
      ],
    },
  ];
}
