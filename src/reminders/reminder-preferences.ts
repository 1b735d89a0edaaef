import { notFound } from '../errors';
import type { ExpertService } from '../experts/expert.service';
import { updateConditionally } from '../http/conditional';
import type { Principal } from '../http/principal';
import type { RequestRecord, RequestStore } from '../requests/request.repository';

/** No If-Match to judge: turning reminders off is the same change whatever else changed meanwhile. */
const anyRevision = () => undefined;

export type ReminderPreferences = ReturnType<typeof createReminderPreferences>;

/**
 * Turning reminder mails off (issue 10 item 8) for the one person a link stands for. An expert's choice lives on their
 * profile (`reminders`, which the API also reads and changes, so export and erasure of the profile cover it); a
 * contact's on the request's contact (`contact.reminders`, erased with the contact). Both are idempotent: RFC 8058
 * one-click POSTs may come more than once.
 */
export function createReminderPreferences(deps: { store: RequestStore; experts: Pick<ExpertService, 'update'> }) {
  return {
    /** Through the expert service as the expert (`principal`), like a PATCH of `reminders` would be. */
    async stopForExpert(principal: Principal, expertId: string): Promise<void> {
      await deps.experts.update(principal, expertId, anyRevision, { reminders: false });
    },

    /** Sets `contact.reminders: false` on the request in whatever stage it is; 404 when it has no contact (erased). */
    async stopForContact(requestId: string): Promise<void> {
      const load = async (): Promise<RequestRecord & { contact: NonNullable<RequestRecord['contact']> }> => {
        const request = await deps.store.findById(requestId);
        if (!request?.contact) throw notFound('Request');
        return { ...request, contact: request.contact };
      };
      await updateConditionally(load, anyRevision, async (current) => {
        if (current.contact.reminders === false) return current;
        const result = await deps.store.updateContent(current, [current.stage], { contact: { ...current.contact, reminders: false } }, []);
        if (result.outcome === 'missing') throw notFound('Request');
        return result.outcome === 'updated' ? result.request : 'stale';
      });
    },
  };
}
