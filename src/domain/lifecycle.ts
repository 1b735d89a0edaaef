import type { Actor, HistoryEntry, Stage } from './stages';

/** What can happen to a consultation request. */
export type LifecycleEvent =
  | 'match_found'
  | 'no_match'
  | 'invite'
  | 'invitations_exhausted'
  | 'invitations_lapsed'
  | 'accept'
  | 'schedule'
  | 'start'
  | 'complete'
  | 'give_feedback'
  | 'cancel'
  | 'reopen';

/** Who may cause an event: the request's owner, the accepted expert, an invited expert, the system, or an admin. */
export type Party = 'owner' | 'accepted_expert' | 'invited_expert' | 'system' | 'admin';

interface Rule {
  from: readonly Stage[];
  to: Stage;
  parties: readonly Party[];
}

const BEFORE_COMPLETION: readonly Stage[] = ['submitted', 'matched', 'invited', 'accepted', 'scheduled', 'in_progress', 'unmatched'];

export const RULES: Readonly<Record<LifecycleEvent, Rule>> = {
  match_found: { from: ['submitted'], to: 'matched', parties: ['system'] },
  no_match: { from: ['submitted'], to: 'unmatched', parties: ['system'] },
  invite: { from: ['matched', 'invited'], to: 'invited', parties: ['system', 'owner', 'admin'] },
  // The last pending invitation was declined or expired and the limit is reached (or nobody is left to invite).
  invitations_exhausted: { from: ['matched', 'invited'], to: 'unmatched', parties: ['system'] },
  // The last pending invitation lapsed; more may be sent.
  invitations_lapsed: { from: ['invited'], to: 'matched', parties: ['system'] },
  accept: { from: ['invited'], to: 'accepted', parties: ['invited_expert', 'admin'] },
  schedule: { from: ['accepted', 'scheduled'], to: 'scheduled', parties: ['owner', 'accepted_expert', 'admin'] },
  start: { from: ['scheduled'], to: 'in_progress', parties: ['owner', 'accepted_expert', 'admin'] },
  complete: { from: ['in_progress'], to: 'completed', parties: ['accepted_expert', 'admin'] },
  give_feedback: { from: ['completed'], to: 'closed', parties: ['owner', 'admin'] },
  cancel: { from: BEFORE_COMPLETION, to: 'cancelled', parties: ['owner', 'admin'] },
  reopen: { from: ['unmatched'], to: 'matched', parties: ['admin'] },
};

export class DomainError extends Error {
  constructor(
    readonly code: 'invalid_transition' | 'not_allowed',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Events that can happen in a stage, e.g. for telling a caller what is possible now. */
export function allowedEvents(stage: Stage): LifecycleEvent[] {
  return (Object.keys(RULES) as LifecycleEvent[]).filter((event) => RULES[event].from.includes(stage));
}

export function allowedNextStages(stage: Stage): Stage[] {
  return [...new Set(allowedEvents(stage).map((event) => RULES[event].to))];
}

/** The next stage after `event`, or a DomainError naming the current stage and what is allowed in it. */
export function transition(stage: Stage, event: LifecycleEvent, party: Party): Stage {
  const rule = RULES[event];
  if (!rule.parties.includes(party)) {
    throw new DomainError('not_allowed', `${party.replace('_', ' ')} may not ${event.replace('_', ' ')}`, { event, party });
  }
  if (!rule.from.includes(stage)) {
    throw new DomainError('invalid_transition', `Cannot ${event.replace('_', ' ')} a request in stage ${stage}`, {
      stage,
      allowedNextStages: allowedNextStages(stage),
    });
  }
  return rule.to;
}

/** The history entry a transition appends. */
export function historyEntry(stage: Stage, actor: Actor, now: Date, note?: string): HistoryEntry {
  return { stage, at: now, actor, ...(note ? { note } : {}) };
}
