import type { Response } from 'supertest';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, pendingInvitations, submitRequest, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
let partner: Auth;

const LISTS = ['/v1/experts', '/v1/requests', '/v1/invitations', '/v1/webhooks'] as const;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'on', WEBHOOK_ALLOW_PRIVATE: 'true' }, { workers: true });
  admin = bearer(context.adminKey);
  partner = await createKey(context.app, admin, { role: 'partner' });
  for (let i = 0; i < 3; i += 1) await createExpert(context.app, admin);
  for (let i = 0; i < 3; i += 1) {
    const requestId = await submitRequest(context.app, partner);
    await pendingInvitations(context.app, admin, requestId);
  }
  for (let i = 0; i < 3; i += 1) {
    await api(context.app).post('/v1/webhooks').set(admin).send({ url: `http://127.0.0.1:9/hooks/${i}`, events: ['request.matched'] }).expect(201);
  }
});
afterAll(() => context.close());

const get = (url: string) => api(context.app).get(url).set(admin);
const withCursor = (list: string, cursor: string, query = 'limit=1') => `${list}?${query}&cursor=${encodeURIComponent(cursor)}`;

async function firstCursor(list: string, query = 'limit=1'): Promise<string> {
  const response = await get(`${list}?${query}`).expect(200);
  expect(typeof response.body.nextCursor).toBe('string');
  return response.body.nextCursor as string;
}

function expectCursorRefused(response: Response): void {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.code).toBe('validation_failed');
  expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(['cursor']);
}

describe('list cursors', () => {
  it.each(LISTS)('%s: the next cursors page through exactly the items of one whole page, in order', async (list) => {
    const everything = (await get(`${list}?limit=100`).expect(200)).body.items.map((item: { id: string }) => item.id);
    expect(everything.length).toBeGreaterThanOrEqual(3);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const response: Response = await get(cursor ? withCursor(list, cursor, 'limit=2') : `${list}?limit=2`).expect(200);
      paged.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(everything);
  });

  it.each(LISTS)('%s: refuses its own cursor with a stray character appended', async (list) => {
    const cursor = await firstCursor(list);
    for (const stray of ['A', '-', '=', '.', '%20']) {
      expectCursorRefused(await get(`${withCursor(list, cursor)}${stray}`));
    }
  });

  it.each(LISTS)('%s: refuses a cursor that decodes to the same position but is spelt differently', async (list) => {
    const cursor = await firstCursor(list);
    // Decoding skips characters outside the base64url alphabet, so these name the same bytes.
    for (const junk of ['*', ' ', '!']) {
      const spelt = `${cursor.slice(0, 8)}${junk}${cursor.slice(8)}`;
      expect(Buffer.from(spelt, 'base64url').equals(Buffer.from(cursor, 'base64url'))).toBe(true);
      expectCursorRefused(await get(withCursor(list, spelt)));
    }
  });

  it.each(LISTS.flatMap((from) => LISTS.filter((to) => to !== from).map((to) => [from, to] as const)))('refuses a cursor of %s on %s', async (from, to) => {
    expectCursorRefused(await get(withCursor(to, await firstCursor(from))));
  });

  it('refuses a cursor from other filters, and takes it with another limit', async () => {
    const cursor = await firstCursor('/v1/requests', 'limit=1&stage=invited');
    expectCursorRefused(await get(withCursor('/v1/requests', cursor, 'limit=1&stage=matched')));
    expectCursorRefused(await get(withCursor('/v1/requests', cursor, 'limit=1')));
    expectCursorRefused(await get(withCursor('/v1/requests', cursor, 'limit=1&stage=invited&country=PL')));
    const all = (await get('/v1/requests?limit=100&stage=invited').expect(200)).body.items.map((item: { id: string }) => item.id);
    const rest = await get(withCursor('/v1/requests', cursor, 'limit=50&stage=invited')).expect(200);
    expect(rest.body.items.map((item: { id: string }) => item.id)).toEqual(all.slice(1));
    expect(rest.body.nextCursor).toBeNull();
  });

  it('refuses the unbound cursors of the earlier format', async () => {
    const [first] = (await get('/v1/experts?limit=1').expect(200)).body.items as Array<{ id: string }>;
    expectCursorRefused(await get(withCursor('/v1/experts', Buffer.from(`v1:${first!.id}`).toString('base64url'))));
  });
});
