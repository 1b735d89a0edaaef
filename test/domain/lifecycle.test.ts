import { allowedNextStages, DomainError, RULES, transition, type LifecycleEvent, type Party } from '../../src/domain/lifecycle';
import { STAGES, type Stage } from '../../src/domain/stages';

describe('the consultation lifecycle', () => {
  it.each<[Stage, LifecycleEvent, Party, Stage]>([
    ['submitted', 'match_found', 'system', 'matched'],
    ['submitted', 'no_match', 'system', 'unmatched'],
    ['matched', 'invite', 'system', 'invited'],
    ['invited', 'invite', 'owner', 'invited'],
    ['invited', 'accept', 'invited_expert', 'accepted'],
    ['invited', 'invitations_lapsed', 'system', 'matched'],
    ['invited', 'invitations_exhausted', 'system', 'unmatched'],
    ['accepted', 'schedule', 'owner', 'scheduled'],
    ['scheduled', 'schedule', 'accepted_expert', 'scheduled'],
    ['scheduled', 'start', 'accepted_expert', 'in_progress'],
    ['in_progress', 'complete', 'accepted_expert', 'completed'],
    ['completed', 'give_feedback', 'owner', 'closed'],
    ['unmatched', 'reopen', 'admin', 'matched'],
  ])('moves %s on %s by %s to %s', (from, event, party, to) => {
    expect(transition(from, event, party)).toBe(to);
  });

  it('lets the owner or an admin cancel from every stage before completion, and from no later one', () => {
    for (const stage of STAGES) {
      const cancellable = !['completed', 'closed', 'cancelled'].includes(stage);
      if (cancellable) expect(transition(stage, 'cancel', 'owner')).toBe('cancelled');
      else expect(() => transition(stage, 'cancel', 'admin')).toThrow(DomainError);
    }
  });

  it('rejects an illegal transition with the current stage and the allowed next stages', () => {
    try {
      transition('submitted', 'complete', 'accepted_expert');
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('invalid_transition');
      expect((error as DomainError).details).toEqual({ stage: 'submitted', allowedNextStages: ['matched', 'unmatched', 'cancelled'] });
    }
  });

  it.each<[LifecycleEvent, Party]>([
    ['complete', 'owner'],
    ['give_feedback', 'accepted_expert'],
    ['accept', 'owner'],
    ['reopen', 'owner'],
    ['cancel', 'accepted_expert'],
    ['match_found', 'admin'],
  ])('does not let %s be done by %s', (event, party) => {
    const from = RULES[event].from[0]!;
    expect(() => transition(from, event, party)).toThrow(expect.objectContaining({ code: 'not_allowed' }));
  });

  it('allows nothing after closed or cancelled', () => {
    expect(allowedNextStages('closed')).toEqual([]);
    expect(allowedNextStages('cancelled')).toEqual([]);
  });
});
