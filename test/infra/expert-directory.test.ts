import { Types } from 'mongoose';
import { loadConfig } from '../../src/config';
import { createExpertDirectory, type ExpertDirectory } from '../../src/experts/expert-directory';
import type { ExpertRecord } from '../../src/experts/expert.repository';
import { createInvalidationBus, type InvalidationBus } from '../../src/infra/invalidation-bus';
import { createLogger } from '../../src/logger';
import { buildExpert } from '../helpers/factories';
import { testEnvironment, uniqueSuffix } from '../helpers/test-context';

const config = loadConfig(testEnvironment());
let bus: InvalidationBus;
let directory: ExpertDirectory;

beforeAll(() => {
  bus = createInvalidationBus({ redisUrl: config.REDIS_URL, namespace: `directory-${uniqueSuffix()}`, logger: createLogger('silent') });
  directory = createExpertDirectory({ bus, logger: createLogger('silent') });
});
afterAll(() => bus.close());

function record(id: string, overrides: Partial<ExpertRecord>): ExpertRecord {
  const now = new Date();
  return {
    ...buildExpert(),
    id,
    ownerId: 'owner',
    revision: 1,
    workloadRevision: 0,
    pendingInvitations: 0,
    activeConsultations: 0,
    ratingTotal: 0,
    ratingCount: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  } as ExpertRecord;
}

describe('the expert directory', () => {
  it('keeps the newest profile and the newest workload when reads of one expert land out of order', async () => {
    const id = new Types.ObjectId().toHexString();
    await directory.listener.expertChanged(record(id, { revision: 2, headline: 'second edit', workloadRevision: 3, activeConsultations: 1 }));
    await directory.listener.expertChanged(record(id, { revision: 1, headline: 'first edit', workloadRevision: 4, activeConsultations: 2 }));
    expect(directory.get(id)).toMatchObject({ revision: 2, headline: 'second edit', workloadRevision: 4, activeConsultations: 2 });

    await directory.listener.expertChanged(record(id, { revision: 1, headline: 'first edit', workloadRevision: 2, activeConsultations: 0 }));
    expect(directory.get(id)).toMatchObject({ revision: 2, headline: 'second edit', workloadRevision: 4, activeConsultations: 2 });
  });

  it('does not bring back an erased expert when a read from before the erasure lands late', async () => {
    const id = new Types.ObjectId().toHexString();
    await directory.listener.expertChanged(record(id, { revision: 1 }));
    await directory.listener.expertRemoved(id);
    await directory.listener.expertChanged(record(id, { revision: 1, workloadRevision: 1 }));
    expect(directory.get(id)).toBeUndefined();
    expect(directory.list({}, undefined, 100).map((expert) => expert.id)).not.toContain(id);
  });
});
