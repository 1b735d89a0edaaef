import mongoose from 'mongoose';
import { ExpertWorkloadModel } from '../../src/experts/expert.model';
import { expertRepository } from '../../src/experts/expert.repository';
import { workloadCorrections } from '../../src/infra/metrics';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
let partner: Auth;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off' }, { workers: true });
  admin = bearer(context.adminKey);
  partner = await createKey(context.app, admin, { role: 'partner' });
});
afterAll(() => context.close());

const HOUR = 60 * 60 * 1000;
const audit = (at: number) => context.services.auditWorkloads(new Date(at));

/** An expert with one pending invitation and one accepted consultation: the truth the audit recounts. */
async function busyExpert() {
  const expert = await createExpert(context.app, admin, { capacity: 3 });
  const requestIds = [await submitRequest(context.app, partner), await submitRequest(context.app, partner)];
  await Promise.all(requestIds.map((id) => waitForStage(context.app, partner, id, 'matched')));
  const invitationIds: string[] = [];
  for (const requestId of requestIds) {
    invitationIds.push((await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: expert.id }).expect(201)).body.id);
  }
  await api(context.app).post(`/v1/invitations/${invitationIds[0]}/accept`).set(expert.auth).expect(200);
  return { expert, invitationIds };
}

/** What a process dying between a write and its counter update leaves behind. */
const corrupt = (expertId: string, values: Record<string, number>) => ExpertWorkloadModel.collection.updateOne({ _id: expertId } as never, { $set: values });

const workloadOf = async (expertId: string) => {
  const expert = await expertRepository.findById(expertId);
  return { pendingInvitations: expert?.pendingInvitations, activeConsultations: expert?.activeConsultations };
};

describe('the workload audit', () => {
  it('leaves counters alone that agree with the invitations and requests', async () => {
    const { expert } = await busyExpert();
    const start = Date.now();
    expect(await workloadOf(expert.id)).toEqual({ pendingInvitations: 1, activeConsultations: 1 });
    await audit(start);
    const second = await audit(start + HOUR);
    expect(second.corrected).toBe(0);
    expect(await workloadOf(expert.id)).toEqual({ pendingInvitations: 1, activeConsultations: 1 });
  });

  it('corrects a drifted counter when a second audit finds the same difference at the same revision', async () => {
    const { expert } = await busyExpert();
    await corrupt(expert.id, { pendingInvitations: 4, activeConsultations: 3 });
    const start = Date.now();

    const first = await audit(start);
    expect(first.suspected).toBeGreaterThanOrEqual(1);
    expect(await workloadOf(expert.id)).toEqual({ pendingInvitations: 4, activeConsultations: 3 });

    const correctedBefore = (await workloadCorrections.get()).values[0]?.value ?? 0;
    const second = await audit(start + HOUR);
    expect(second.corrected).toBeGreaterThanOrEqual(1);
    expect(await workloadOf(expert.id)).toEqual({ pendingInvitations: 1, activeConsultations: 1 });
    expect((await workloadCorrections.get()).values[0]?.value).toBe(correctedBefore + second.corrected);

    const verdict = await api(context.app).get(`/v1/requests/${await submitRequest(context.app, partner)}/matches/${expert.id}`).set(partner).expect(200);
    expect(verdict.body.reasons).toContainEqual({ code: 'availability', params: { free: 2, capacity: 3, pending: 1 }, message: '2 free slots out of 3; 1 invitation pending' });
  });

  it('does not correct a counter that changed between the two audits', async () => {
    const { expert, invitationIds } = await busyExpert();
    await corrupt(expert.id, { activeConsultations: 2 });
    const start = Date.now();
    await audit(start);

    await api(context.app).post(`/v1/invitations/${invitationIds[1]}/decline`).set(expert.auth).send({}).expect(200);
    await audit(start + HOUR);
    expect(await workloadOf(expert.id)).toEqual({ pendingInvitations: 0, activeConsultations: 2 });

    await audit(start + 2 * HOUR);
    expect(await workloadOf(expert.id)).toEqual({ pendingInvitations: 0, activeConsultations: 1 });
  });

  it('keeps its suspicions in the database, so the confirming audit may run in another process', async () => {
    const { expert } = await busyExpert();
    await corrupt(expert.id, { pendingInvitations: 0 });
    await audit(Date.now());
    const stored = await mongoose.connection.db!.collection<{ _id: string }>('workload_suspicions').findOne({ _id: expert.id });
    expect(stored).toMatchObject({ counted: { pendingInvitations: 1, activeConsultations: 1 } });
  });
});
