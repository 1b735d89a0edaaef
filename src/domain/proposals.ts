import type { HistoryEntry, Stage } from './stages';

/** How many slots an expert may offer at once (issue 10 item 5). */
export const MAX_SLOTS = 3;

/** Stages in which the accepted expert may propose times: before the first schedule, and to move a scheduled one. */
export const PROPOSAL_STAGES: readonly Stage[] = ['accepted', 'scheduled'];

/** One proposed time: an instant (UTC) and a length in minutes. Its id is `p<proposal number>s<position from 1>`. */
export interface Slot {
  id: string;
  startsAt: Date;
  durationMinutes: number;
}

/**
 * The times the accepted expert offers, stored on the request (only the latest). `number` counts the request's
 * proposals from 1, so every slot id is unique within the request and a link to an older proposal's slot can be told
 * apart from one that never existed. `step` is the request's history length when it was made: any lifecycle step
 * since then (a direct schedule, a pick, a cancellation) retires it, the way a Django reset token dies when the
 * state it was issued for changes.
 */
export interface Proposal {
  number: number;
  slots: Slot[];
  /** The IANA zone the expert proposed in. */
  timeZone: string;
  location?: string;
  meetingUrl?: string;
  step: number;
  proposedAt: Date;
  pickedSlotId?: string;
  pickedAt?: Date;
}

export const slotId = (proposalNumber: number, position: number): string => `p${proposalNumber}s${position}`;

/** The proposal number a slot id names, or undefined when the id is not a slot id at all. */
export function proposalNumberOf(id: string): number | undefined {
  const match = /^p([1-9]\d{0,5})s[1-9]$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

const endOf = (slot: { startsAt: Date; durationMinutes: number }): number => slot.startsAt.getTime() + slot.durationMinutes * 60_000;

/**
 * Problems of a set of slots (pure): two slots starting at the same instant are duplicates, and two whose times
 * overlap (one starts before the other ends; touching end to start is fine) cannot both be meant. Each problem names
 * the later slot by its position in the input (from 0).
 */
export function slotProblems(slots: ReadonlyArray<{ startsAt: Date; durationMinutes: number }>): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = [];
  slots.forEach((slot, index) => {
    const earlier = slots.slice(0, index).findIndex((other) => slot.startsAt.getTime() < endOf(other) && other.startsAt.getTime() < endOf(slot));
    if (earlier === -1) return;
    const same = slots[earlier]!.startsAt.getTime() === slot.startsAt.getTime();
    problems.push({ index, message: same ? `starts at the same time as slots.${earlier}` : `overlaps slots.${earlier}` });
  });
  return problems;
}

/**
 * Whether a slot can be picked now (pure). `ready`: the request is in a proposal stage, the slot belongs to its
 * current proposal, that proposal is still open (no pick and no other lifecycle step since) and the slot has not
 * begun. Otherwise why not: `picked` (a slot of this proposal was picked already), `superseded` (a newer proposal
 * replaced it, or the request was scheduled another way), `closed` (the request left the proposal stages), `begun`
 * (the slot's start has passed), `unknown` (no such slot on this request, ever).
 */
export type PickState = 'ready' | 'picked' | 'superseded' | 'closed' | 'begun' | 'unknown';

export function pickState(request: { stage: Stage; history: readonly HistoryEntry[]; proposal?: Proposal }, id: string, now: Date): PickState {
  const { proposal } = request;
  const number = proposalNumberOf(id);
  if (!proposal || number === undefined || number > proposal.number) return 'unknown';
  const slot = proposal.slots.find((candidate) => candidate.id === id);
  if (number === proposal.number && !slot) return 'unknown';
  if (!PROPOSAL_STAGES.includes(request.stage)) return 'closed';
  if (number < proposal.number) return 'superseded';
  if (proposal.pickedSlotId !== undefined) return 'picked';
  if (request.history.length !== proposal.step) return 'superseded';
  if (slot!.startsAt.getTime() <= now.getTime()) return 'begun';
  return 'ready';
}

/**
 * The SEQUENCE of a calendar entry for the consultation (RFC 5545 §3.8.7.4): how many times it was scheduled before
 * the announcement. The n-th schedule's REQUEST carries n − 1 (the first is 0); a CANCEL after n schedules carries n,
 * one above the last REQUEST, so calendars apply it over that one (RFC 5546 §2.1.4). Each schedule step appends one
 * `scheduled` entry to the history, and nothing else does.
 */
export function calendarSequence(history: readonly HistoryEntry[], method: 'REQUEST' | 'CANCEL'): number {
  const schedules = history.filter((entry) => entry.stage === 'scheduled').length;
  return method === 'REQUEST' ? Math.max(0, schedules - 1) : schedules;
}
