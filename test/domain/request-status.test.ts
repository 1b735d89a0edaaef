import { statusLinkState } from '../../src/domain/action-links';
import type { Proposal } from '../../src/domain/proposals';
import { statusActions } from '../../src/domain/request-status';
import type { HistoryEntry, Stage } from '../../src/domain/stages';

const now = new Date('2027-04-01T10:00:00Z');
const system = { role: 'system' } as const;
const history = (...stages: Stage[]): HistoryEntry[] => stages.map((stage, index) => ({ stage, at: new Date(now.getTime() - (stages.length - index) * 60_000), actor: system }));
const proposal = (step: number, overrides: Partial<Proposal> = {}): Proposal => ({
  number: 1,
  slots: [
    { id: 'p1s1', startsAt: new Date('2027-04-10T08:00:00Z'), durationMinutes: 60 },
    { id: 'p1s2', startsAt: new Date('2027-03-31T08:00:00Z'), durationMinutes: 60 },
  ],
  timeZone: 'Europe/Vilnius',
  step,
  proposedAt: now,
  ...overrides,
});

describe('statusActions', () => {
  it('before acceptance: only cancelling, no expert', () => {
    expect(statusActions({ stage: 'invited', history: history('submitted', 'matched', 'invited') }, now)).toEqual({ showExpert: false, pickable: [], calendar: false, cancellable: true, rateable: false });
  });

  it('after acceptance: the expert, and the slots of the open proposal that have not begun', () => {
    const steps = history('submitted', 'matched', 'invited', 'accepted');
    expect(statusActions({ stage: 'accepted', history: steps, acceptedExpertId: 'e1', proposal: proposal(steps.length) }, now)).toMatchObject({ showExpert: true, pickable: ['p1s1'], cancellable: true });
    // A proposal retired by a later step offers nothing.
    expect(statusActions({ stage: 'accepted', history: steps, acceptedExpertId: 'e1', proposal: proposal(steps.length - 1) }, now).pickable).toEqual([]);
  });

  it('once scheduled: the calendar, no slots to pick; after completion the rating, no cancelling; cancelled hides the expert', () => {
    const steps = history('submitted', 'matched', 'invited', 'accepted', 'scheduled');
    const scheduled = { stage: 'scheduled' as const, history: steps, acceptedExpertId: 'e1', schedule: {}, proposal: proposal(4, { pickedSlotId: 'p1s1' }) };
    expect(statusActions(scheduled, now)).toEqual({ showExpert: true, pickable: [], calendar: true, cancellable: true, rateable: false });
    expect(statusActions({ ...scheduled, stage: 'completed' }, now)).toEqual({ showExpert: true, pickable: [], calendar: false, cancellable: false, rateable: true });
    expect(statusActions({ ...scheduled, stage: 'cancelled' }, now)).toEqual({ showExpert: false, pickable: [], calendar: false, cancellable: false, rateable: false });
  });
});

describe('statusLinkState', () => {
  it('is ready until the link expires, however often it is opened', () => {
    expect(statusLinkState({ expiresAt: new Date(now.getTime() + 1) }, now)).toBe('ready');
    expect(statusLinkState({ expiresAt: now }, now)).toBe('expired');
  });
});
