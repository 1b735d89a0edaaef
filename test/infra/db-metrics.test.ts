import mongoose from 'mongoose';
import { tallyDatabaseOperations } from '../../src/infra/db-metrics';
import { registry } from '../../src/infra/metrics';
import { api } from '../helpers/contract';
import { bearer, createKey, submitRequest } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off' });
});
afterAll(() => context.close());

const things = () => mongoose.connection.collection('tally_things');

describe('database round trips', () => {
  it('tallies each caller’s own operations, even when callers run at the same time', async () => {
    await things().insertMany([{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }] as never);
    const [one, two] = await Promise.all([
      tallyDatabaseOperations(async () => things().findOne({ _id: 'a' } as never)),
      tallyDatabaseOperations(async () => {
        await things().find({}).toArray();
        await things().updateOne({ _id: 'b' } as never, { $set: { n: 3 } });
      }),
    ]);
    expect(one.operations.map(({ collection, op, documents }) => ({ collection, op, documents }))).toEqual([{ collection: 'tally_things', op: 'find', documents: 1 }]);
    expect(two.operations.map(({ collection, op, documents }) => ({ collection, op, documents }))).toEqual([
      { collection: 'tally_things', op: 'find', documents: 2 },
      { collection: 'tally_things', op: 'update', documents: 1 },
    ]);
    expect(one.operations[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('counts an HTTP request’s round trips under its route template in /metrics', async () => {
    const admin = bearer(context.adminKey);
    const partner = await createKey(context.app, admin, { role: 'partner' });
    const id = await submitRequest(context.app, partner);
    const before = await registry.getSingleMetricAsString('db_operations_per_unit');
    const countOf = (text: string) => Number(/db_operations_per_unit_count\{unit="http",name="GET \/v1\/requests\/:id"\} (\d+)/.exec(text)?.[1] ?? 0);
    await api(context.app).get(`/v1/requests/${id}`).set(partner).expect(200);
    const after = await registry.getSingleMetricAsString('db_operations_per_unit');
    expect(countOf(after)).toBe(countOf(before) + 1);
    const metrics = await api(context.app).get('/metrics').set(admin).expect(200);
    expect(metrics.text).toMatch(/db_operations_total\{collection="requests",op="find"\} [1-9]/);
  });
});
