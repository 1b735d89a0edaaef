// The list lives in src/events.ts, next to the message the emitting services build; webhooks only re-export it.
export { EVENT_TYPES, type EventType } from '../events';
