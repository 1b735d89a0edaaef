import { expertRepository } from '../../src/experts/expert.repository';
import { api } from '../helpers/contract';
import { bearer, createExpert, invitationsOf, requestBody, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'on' }, { workers: true });
  admin = bearer(context.adminKey);
});
afterAll(() => context.close());

async function settledStages(ids: string[], timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stages = await Promise.all(ids.map(async (id) => (await api(context.app).get(`/v1/requests/${id}`).set(admin).expect(200)).body.stage as string));
    if (stages.every((stage) => stage === 'invited' || stage === 'unmatched')) return stages;
    if (Date.now() > deadline) throw new Error(`requests not settled: ${stages.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('auto-invite under a burst of requests', () => {
  it('never gives an expert more pending invitations than free slots', async () => {
    const [small, large] = [await createExpert(context.app, admin, { capacity: 2 }), await createExpert(context.app, admin, { capacity: 3 })];
    const responses = await Promise.all(Array.from({ length: 9 }, () => api(context.app).post('/v1/requests').set(admin).send(requestBody())));
    const ids = responses.map((response) => response.body.id as string);
    const stages = await settledStages(ids);
    expect(stages.filter((stage) => stage === 'invited')).toHaveLength(5);
    expect(stages.filter((stage) => stage === 'unmatched')).toHaveLength(4);
    const pending = (await Promise.all(ids.map((id) => invitationsOf(context.app, admin, id, 'pending')))).flat();
    expect(pending.filter((invitation) => invitation.expertId === small.id)).toHaveLength(2);
    expect(pending.filter((invitation) => invitation.expertId === large.id)).toHaveLength(3);
    expect(await expertRepository.findById(small.id)).toMatchObject({ pendingInvitations: 2 });
    expect(await expertRepository.findById(large.id)).toMatchObject({ pendingInvitations: 3 });
  });
});
