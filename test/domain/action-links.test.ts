import { invitationLinkState, type LinkFacts } from '../../src/domain/action-links';

const now = new Date('2027-03-28T10:00:00Z');
const later = new Date('2027-03-30T10:00:00Z');
const earlier = new Date('2027-03-27T10:00:00Z');

const facts = (overrides: { token?: Partial<LinkFacts['token']>; invitation?: Partial<LinkFacts['invitation']>; request?: Partial<LinkFacts['request']> } = {}): LinkFacts => ({
  token: { expiresAt: later, ...overrides.token },
  invitation: { status: 'pending', expiresAt: later, expertId: 'e1', ...overrides.invitation },
  request: { stage: 'invited', ...overrides.request },
});

describe('invitationLinkState', () => {
  it('is ready while the invitation is pending and unexpired and the request waits for an answer', () => {
    expect(invitationLinkState(facts(), now)).toBe('ready');
  });

  it('is used once used, whatever else changed', () => {
    expect(invitationLinkState(facts({ token: { usedAt: earlier }, invitation: { status: 'accepted' } }), now)).toBe('used');
  });

  it("is expired past the invitation's expiry, stored or not, and past the token's own", () => {
    expect(invitationLinkState(facts({ invitation: { expiresAt: now } }), now)).toBe('expired');
    expect(invitationLinkState(facts({ invitation: { status: 'expired', expiresAt: earlier } }), now)).toBe('expired');
    expect(invitationLinkState(facts({ token: { expiresAt: earlier } }), now)).toBe('expired');
  });

  it('dies when the expert answered another way', () => {
    expect(invitationLinkState(facts({ invitation: { status: 'accepted' }, request: { stage: 'accepted', acceptedExpertId: 'e1' } }), now)).toBe('answered');
    expect(invitationLinkState(facts({ invitation: { status: 'declined' } }), now)).toBe('answered');
  });

  it('is taken when another expert accepted the request, closed when it stopped looking', () => {
    expect(invitationLinkState(facts({ invitation: { status: 'withdrawn' }, request: { stage: 'accepted', acceptedExpertId: 'e2' } }), now)).toBe('taken');
    expect(invitationLinkState(facts({ invitation: { status: 'withdrawn' }, request: { stage: 'cancelled' } }), now)).toBe('closed');
    expect(invitationLinkState(facts({ request: { stage: 'cancelled' } }), now)).toBe('closed');
  });
});
