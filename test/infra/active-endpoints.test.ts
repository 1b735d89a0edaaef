import { loadConfig } from '../../src/config';
import { connectDatabase, disconnectDatabase } from '../../src/infra/database';
import { createInvalidationBus } from '../../src/infra/invalidation-bus';
import { createLogger } from '../../src/logger';
import { createActiveEndpoints } from '../../src/webhooks/active-endpoints';
import { newSigningSecret } from '../../src/webhooks/signing';
import { webhookEndpointRepository } from '../../src/webhooks/webhook.repository';
import { testEnvironment } from '../helpers/test-context';
import { dropAllDatabases } from '../../src/infra/partitions';

const config = loadConfig(testEnvironment());
const logger = createLogger('silent');
// Two instances of the service: each its own bus connection and its own copy of the endpoints.
const buses = [0, 1].map(() => createInvalidationBus({ redisUrl: config.REDIS_URL, namespace: config.QUEUE_PREFIX, logger }));
const [here, there] = buses.map((bus) => createActiveEndpoints({ bus })) as [ReturnType<typeof createActiveEndpoints>, ReturnType<typeof createActiveEndpoints>];

beforeAll(() => connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME));
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  await dropAllDatabases();
  await disconnectDatabase();
});

const register = () =>
  webhookEndpointRepository.insert({ ownerId: 'owner-1', scope: 'owner', url: 'https://partner.example.org/hooks', events: ['request.matched'], secret: newSigningSecret() });

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the active webhook endpoints held in memory', () => {
  it('serves the endpoints from memory until a change, then reloads on this and every other instance', async () => {
    expect(await here.list()).toEqual([]);
    expect(await there.list()).toEqual([]);
    const endpoint = await register();
    expect(await here.list()).toEqual([]);
    await here.changed();
    expect((await here.list()).map((item) => item.id)).toEqual([endpoint.id]);
    await eventually(async () => (await there.list()).length === 1);

    await webhookEndpointRepository.disable(endpoint.id, new Date());
    await there.changed();
    expect(await there.list()).toEqual([]);
    await eventually(async () => (await here.list()).length === 0);
  });
});
