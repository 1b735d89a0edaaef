import { ratingLinkState, stopRemindersLinkState } from '../../src/domain/action-links';
import { hoursLeft, invitationReminderAt, wantsReminders } from '../../src/domain/reminders';

const HOUR = 3_600_000;
const created = new Date('2027-03-27T10:00:00Z');
const after = (hours: number) => new Date(created.getTime() + hours * HOUR);

describe('invitationReminderAt', () => {
  it('is 24 h before the expiry of an invitation with more time than that', () => {
    expect(invitationReminderAt({ createdAt: created, expiresAt: after(72) })).toEqual(after(48));
    expect(invitationReminderAt({ createdAt: created, expiresAt: new Date(after(24).getTime() + 1) })).toEqual(new Date(created.getTime() + 1));
  });

  it('is none when the time to answer is 24 h or less', () => {
    expect(invitationReminderAt({ createdAt: created, expiresAt: after(24) })).toBeUndefined();
    expect(invitationReminderAt({ createdAt: created, expiresAt: after(1) })).toBeUndefined();
  });
});

describe('wantsReminders and hoursLeft', () => {
  it('sends reminders unless the person turned them off', () => {
    expect(wantsReminders({})).toBe(true);
    expect(wantsReminders({ reminders: true })).toBe(true);
    expect(wantsReminders({ reminders: false })).toBe(false);
  });

  it('counts whole hours left, never fewer than one', () => {
    expect(hoursLeft(after(24), created)).toBe(24);
    expect(hoursLeft(after(23.6), created)).toBe(24);
    expect(hoursLeft(after(0.2), created)).toBe(1);
    expect(hoursLeft(after(-3), created)).toBe(1);
  });
});

describe('ratingLinkState', () => {
  const token = { expiresAt: after(720) };
  it('is ready only while the request is completed', () => {
    expect(ratingLinkState({ token, request: { stage: 'completed' } }, created)).toBe('ready');
    expect(ratingLinkState({ token, request: { stage: 'closed' } }, created)).toBe('closed');
    expect(ratingLinkState({ token, request: { stage: 'in_progress' } }, created)).toBe('closed');
  });

  it('is used once used and expired past its expiry, before looking at the request', () => {
    expect(ratingLinkState({ token: { ...token, usedAt: created }, request: { stage: 'closed' } }, created)).toBe('used');
    expect(ratingLinkState({ token, request: { stage: 'completed' } }, after(721))).toBe('expired');
  });
});

describe('stopRemindersLinkState', () => {
  it('is ready until the link expires', () => {
    expect(stopRemindersLinkState({ expiresAt: after(1) }, created)).toBe('ready');
    expect(stopRemindersLinkState({ expiresAt: after(1) }, after(2))).toBe('expired');
  });
});
