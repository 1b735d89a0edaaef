import { RULES } from './lifecycle';
import { pickState, type Proposal } from './proposals';
import type { HistoryEntry, Stage } from './stages';

/** Stages in which the organisation knows its expert: from acceptance on, unless the request was cancelled. */
const EXPERT_STAGES: readonly Stage[] = ['accepted', 'scheduled', 'in_progress', 'completed', 'closed'];
/** Stages in which the consultation's calendar file is worth offering: it has a time and has not ended. */
const CALENDAR_STAGES: readonly Stage[] = ['scheduled', 'in_progress'];

/** What the request's contact can see and do on the status page now. */
export interface StatusActions {
  /** The accepted expert's details may be shown (only after acceptance: issue 10 item 8). */
  showExpert: boolean;
  /** Ids of the current proposal's slots that can be picked now, in the order proposed. */
  pickable: string[];
  /** A calendar file exists and is worth offering. */
  calendar: boolean;
  /** The owner may cancel (the lifecycle's `cancel` rule). */
  cancellable: boolean;
  /** The consultation is completed and waits for feedback. */
  rateable: boolean;
}

/**
 * What the status page of `request` offers at `now` (pure): the same rules the services apply (RULES, pickState), so
 * the page offers only buttons whose call would be allowed; the services still check again when one is pressed.
 */
export function statusActions(request: { stage: Stage; history: readonly HistoryEntry[]; proposal?: Proposal; schedule?: unknown; acceptedExpertId?: string }, now: Date): StatusActions {
  const { stage, proposal } = request;
  return {
    showExpert: request.acceptedExpertId !== undefined && EXPERT_STAGES.includes(stage),
    pickable: (proposal?.slots ?? []).filter((slot) => pickState(request, slot.id, now) === 'ready').map((slot) => slot.id),
    calendar: request.schedule !== undefined && CALENDAR_STAGES.includes(stage),
    cancellable: RULES.cancel.from.includes(stage),
    rateable: stage === 'completed',
  };
}
