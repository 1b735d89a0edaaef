/** The stages a consultation request moves through. */
export const STAGES = ['submitted', 'matched', 'invited', 'accepted', 'scheduled', 'in_progress', 'completed', 'closed', 'cancelled', 'unmatched'] as const;
export type Stage = (typeof STAGES)[number];

/** The request's content may change only while no expert has accepted it. */
export const EDITABLE_STAGES: readonly Stage[] = ['submitted', 'matched', 'invited', 'unmatched'];

/** An expert has accepted and holds one of their capacity slots for the request. */
export const UNDERWAY_STAGES: readonly Stage[] = ['accepted', 'scheduled', 'in_progress'];

/** Requests still looking for an expert. */
export const OPEN_STAGES: readonly Stage[] = EDITABLE_STAGES;

export interface Actor {
  role: 'admin' | 'partner' | 'expert' | 'requester' | 'system';
  id?: string;
}

export interface HistoryEntry {
  stage: Stage;
  at: Date;
  actor: Actor;
  note?: string;
}
