/** What partner sites are told about; each event is written to the outbox before anything is sent. */
export const EVENT_TYPES = [
  'request.matched',
  'request.unmatched',
  'invitation.created',
  'invitation.accepted',
  'invitation.declined',
  'invitation.expired',
  'consultation.proposed',
  'consultation.scheduled',
  'consultation.reminder',
  'consultation.completed',
  'request.closed',
  'request.cancelled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface LifecycleEventMessage {
  type: EventType;
  requestId: string;
  ownerId: string;
  /** Ids, stages and times only: never personal data. */
  data: Record<string, unknown>;
  /** Emitting the same key twice records one event (handlers run at least once). */
  dedupeKey: string;
}

export type EmitEvent = (event: LifecycleEventMessage) => Promise<void>;
