import { DateTime } from 'luxon';
import type { z } from 'zod';
import { isKnownTimeZone } from '../domain/people';
import { MAX_SLOTS } from '../domain/proposals';
import type { MessageKey, Translate } from '../i18n/i18n';
import { proposalInputSchema, type ProposalInput } from '../proposals/proposal.schemas';
import type { PageFieldError } from './field-errors';

/** The form's fields of slot `index` (from 0): a local day, a local time of day and a length in minutes. */
export const slotFields = (index: number) => ({ date: `slots.${index}.date`, time: `slots.${index}.time`, durationMinutes: `slots.${index}.durationMinutes` });
export const SLOT_COUNT = MAX_SLOTS;

type Posted = Record<string, unknown>;
const text = (posted: Posted, name: string): string => (typeof posted[name] === 'string' ? (posted[name] as string).trim() : '');

/** The outcome of reading a "Propose times" form: the API's ProposalInput, or the problems beside the form's fields. */
export type ProposalForm = { ok: true; input: ProposalInput } | { ok: false; errors: PageFieldError[] };

/**
 * Reads a posted "Propose times" form into the API's ProposalInput (POST /v1/requests/{id}/proposals). The form has up
 * to SLOT_COUNT rows of `slots.N.date` (YYYY-MM-DD), `slots.N.time` (HH:MM) and `slots.N.durationMinutes`, read as a
 * wall-clock time in `timeZone` (an IANA name) and turned into a UTC instant with luxon; a row left wholly empty is
 * no slot. Then `timeZone`, `location` and `meetingUrl` as the API names them. The result is judged by the API's own
 * schema (proposalInputSchema: future, non-overlapping slots; exactly one of place or link), so the page refuses
 * what the API refuses; each problem is worded in the reader's language (`t`) and named by the form field it is
 * shown beside. A local time that does not exist in the zone (skipped by a DST change) is refused as a bad time.
 */
export function readProposalForm(posted: Posted, t: Translate): ProposalForm {
  const timeZone = text(posted, 'timeZone');
  const knownZone = isKnownTimeZone(timeZone);
  const errors: PageFieldError[] = [];
  /** The form row of each slot given to the schema, so its problems go back beside the right fields. */
  const rows: number[] = [];
  const slots: Array<{ startsAt: string; durationMinutes: unknown }> = [];
  for (let index = 0; index < SLOT_COUNT; index += 1) {
    const names = slotFields(index);
    const [date, time, minutes] = [text(posted, names.date), text(posted, names.time), text(posted, names.durationMinutes)];
    if (date === '' && time === '') continue;
    if (date === '') errors.push({ field: names.date, message: t('form.error.required') });
    if (time === '') errors.push({ field: names.time, message: t('form.error.required') });
    if (date === '' || time === '') continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid) {
      errors.push({ field: names.date, message: t('form.error.date') });
      continue;
    }
    // An unknown zone is reported by the schema, beside its own field; the slot cannot be placed without one.
    if (!knownZone) continue;
    const local = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
    // luxon moves a wall-clock time that a DST change skips: such a time was never on anyone's clock.
    if (!/^\d{2}:\d{2}$/.test(time) || !local.isValid || local.toFormat('HH:mm') !== time) {
      errors.push({ field: names.time, message: t('experts.consult.error.time') });
      continue;
    }
    rows.push(index);
    slots.push({ startsAt: local.toUTC().toISO({ suppressMilliseconds: true })!, durationMinutes: minutes === '' ? undefined : /^\d+$/.test(minutes) ? Number(minutes) : minutes });
  }
  if (rows.length === 0 && errors.length === 0 && knownZone) errors.push({ field: slotFields(0).date, message: t('experts.consult.error.noSlot') });
  const input = {
    slots,
    timeZone,
    ...(text(posted, 'location') !== '' ? { location: text(posted, 'location') } : {}),
    ...(text(posted, 'meetingUrl') !== '' ? { meetingUrl: text(posted, 'meetingUrl') } : {}),
  };
  const parsed = proposalInputSchema.safeParse(input);
  if (parsed.success && errors.length === 0) return { ok: true, input: parsed.data };
  if (!parsed.success) errors.push(...schemaErrors(parsed.error as z.ZodError, rows, t, slots.length === 0));
  const seen = new Set<string>();
  return { ok: false, errors: errors.filter((error) => !seen.has(error.field) && seen.add(error.field)) };
}

function schemaErrors(error: z.ZodError, rows: readonly number[], t: Translate, noSlots: boolean): PageFieldError[] {
  return error.issues.flatMap((issue): PageFieldError[] => {
    const [head, position, leaf] = issue.path;
    if (head === 'slots') {
      // No slot at all is already said beside the first row (or the rows' own problems are).
      if (typeof position !== 'number') return noSlots ? [] : [{ field: slotFields(0).date, message: t('experts.consult.error.noSlot') }];
      const names = slotFields(rows[position] ?? 0);
      if (leaf === 'durationMinutes') return [{ field: names.durationMinutes, message: t('experts.consult.error.duration', { min: 15, max: 480 }) }];
      return [{ field: names.date, message: t(slotMessage(issue.message)) }];
    }
    if (head === 'timeZone') return [{ field: 'timeZone', message: t('experts.consult.error.timeZone') }];
    if (head === 'meetingUrl') return [{ field: 'meetingUrl', message: t('form.error.url') }];
    if (head === 'location' && issue.code === 'custom') return [{ field: 'location', message: t('experts.consult.error.placeOrLink') }];
    if (head === 'location' && issue.code === 'too_big') return [{ field: 'location', message: t('form.error.tooLong', { max: 300 }) }];
    return [{ field: 'location', message: t('form.error.invalid') }];
  });
}

/** The schema's wording of a slot's problem (proposal.schemas.ts, consultation.schemas.ts, domain slotProblems) as a catalogue key. */
function slotMessage(message: string): MessageKey {
  if (message.includes('future') || message.includes('past')) return 'experts.consult.error.past';
  if (message.includes('two years')) return 'experts.consult.error.tooFar';
  if (message.includes('overlaps') || message.includes('same time')) return 'experts.consult.error.overlap';
  return 'form.error.date';
}
