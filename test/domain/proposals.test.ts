import { slotLinkState } from '../../src/domain/action-links';
import { calendarSequence, pickState, proposalNumberOf, slotProblems, type Proposal } from '../../src/domain/proposals';
import type { HistoryEntry, Stage } from '../../src/domain/stages';

const at = (iso: string) => new Date(iso);
const NOW = at('2027-03-01T10:00:00Z');
const entry = (stage: Stage): HistoryEntry => ({ stage, at: NOW, actor: { role: 'system' } });
const ACCEPTED = ['submitted', 'matched', 'invited', 'accepted'].map((stage) => entry(stage as Stage));

function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    number: 2,
    slots: [
      { id: 'p2s1', startsAt: at('2027-03-29T07:00:00Z'), durationMinutes: 60 },
      { id: 'p2s2', startsAt: at('2027-03-30T12:00:00Z'), durationMinutes: 60 },
    ],
    timeZone: 'Europe/Vilnius',
    meetingUrl: 'https://meet.example.org/x',
    step: ACCEPTED.length,
    proposedAt: NOW,
    ...overrides,
  };
}

describe('slotProblems', () => {
  const slot = (iso: string, durationMinutes = 60) => ({ startsAt: at(iso), durationMinutes });

  it('accepts slots that touch end to start', () => {
    expect(slotProblems([slot('2027-03-29T07:00:00Z'), slot('2027-03-29T08:00:00Z')])).toEqual([]);
  });

  it('names a duplicate and an overlap by the later slot, with the earlier one in the message', () => {
    expect(slotProblems([slot('2027-03-29T07:00:00Z', 90), slot('2027-03-29T08:29:00Z'), slot('2027-03-29T07:00:00Z')])).toEqual([
      { index: 1, message: 'overlaps slots.0' },
      { index: 2, message: 'starts at the same time as slots.0' },
    ]);
  });

  it('sees an overlap written with different offsets for the same instants', () => {
    expect(slotProblems([slot('2027-03-29T10:00:00+03:00'), slot('2027-03-29T08:30:00+02:00')])).toEqual([{ index: 1, message: 'overlaps slots.0' }]);
  });
});

describe('pickState', () => {
  const request = (stage: Stage, history: HistoryEntry[], current: Proposal | undefined = proposal()) => ({ stage, history, proposal: current });

  it('is ready for a slot of the open current proposal that has not begun', () => {
    expect(pickState(request('accepted', ACCEPTED), 'p2s2', NOW)).toBe('ready');
  });

  it('tells a picked, a superseded, a closed, a begun and an unknown slot apart', () => {
    const scheduled = [...ACCEPTED, entry('scheduled')];
    expect(pickState(request('scheduled', scheduled, proposal({ pickedSlotId: 'p2s1' })), 'p2s2', NOW)).toBe('picked');
    expect(pickState(request('accepted', ACCEPTED), 'p1s1', NOW)).toBe('superseded');
    // Scheduled directly since the proposal: its history moved on.
    expect(pickState(request('scheduled', scheduled), 'p2s1', NOW)).toBe('superseded');
    expect(pickState(request('cancelled', [...ACCEPTED, entry('cancelled')]), 'p2s1', NOW)).toBe('closed');
    expect(pickState(request('accepted', ACCEPTED), 'p2s1', at('2027-03-29T07:00:00Z'))).toBe('begun');
    expect(pickState(request('accepted', ACCEPTED), 'p2s3', NOW)).toBe('unknown');
    expect(pickState(request('accepted', ACCEPTED), 'p3s1', NOW)).toBe('unknown');
    expect(pickState({ stage: 'accepted', history: ACCEPTED }, 'p1s1', NOW)).toBe('unknown');
    expect(pickState(request('accepted', ACCEPTED), 'junk', NOW)).toBe('unknown');
  });

  it('reads proposal numbers only from well-formed slot ids', () => {
    expect(proposalNumberOf('p12s3')).toBe(12);
    expect(['p0s1', 'p1s0', 'p1s10', 'P1S1', 'p1s1 '].map(proposalNumberOf)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('slotLinkState', () => {
  const token = (choice: string, overrides: { usedAt?: Date; expiresAt?: Date } = {}) => ({ choice, expiresAt: at('2027-03-29T07:00:00Z'), ...overrides });
  const open = { stage: 'accepted' as Stage, history: ACCEPTED, proposal: proposal() };

  it('checks the token first, then the pick rule', () => {
    expect(slotLinkState(token('p2s1'), open, NOW)).toBe('ready');
    expect(slotLinkState(token('p2s1', { usedAt: NOW }), open, NOW)).toBe('used');
    expect(slotLinkState(token('p2s1', { expiresAt: NOW }), open, NOW)).toBe('expired');
    expect(slotLinkState(token('p1s1'), open, NOW)).toBe('closed');
    expect(slotLinkState(token('p2s1'), { ...open, stage: 'scheduled', history: [...ACCEPTED, entry('scheduled')], proposal: proposal({ pickedSlotId: 'p2s2' }) }, NOW)).toBe('answered');
  });
});

describe('calendarSequence', () => {
  it('counts the schedules before the one announced, and puts a cancellation one above the last', () => {
    const once = [...ACCEPTED, entry('scheduled')];
    const twice = [...once, entry('scheduled')];
    expect(calendarSequence(once, 'REQUEST')).toBe(0);
    expect(calendarSequence(twice, 'REQUEST')).toBe(1);
    expect(calendarSequence([...twice, entry('cancelled')], 'CANCEL')).toBe(2);
  });
});
