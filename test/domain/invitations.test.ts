import { effectiveInvitationStatus } from '../../src/domain/invitations';

describe('effectiveInvitationStatus', () => {
  const expiresAt = new Date('2027-03-30T09:00:00.000Z');
  const at = (offsetMs: number) => new Date(expiresAt.getTime() + offsetMs);

  it('keeps a pending invitation pending until the millisecond before expiresAt', () => {
    expect(effectiveInvitationStatus('pending', expiresAt, at(-1))).toBe('pending');
  });

  it('makes a pending invitation expired at expiresAt and after, whether or not a job stored it', () => {
    expect(effectiveInvitationStatus('pending', expiresAt, at(0))).toBe('expired');
    expect(effectiveInvitationStatus('pending', expiresAt, at(86_400_000))).toBe('expired');
  });

  it('never changes an answered invitation, however late', () => {
    for (const status of ['accepted', 'declined', 'withdrawn', 'expired'] as const) {
      expect(effectiveInvitationStatus(status, expiresAt, at(86_400_000))).toBe(status);
    }
  });
});
