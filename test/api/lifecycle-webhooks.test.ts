import { Webhook } from 'standardwebhooks';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, pendingInvitations, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

let context: TestContext;
let admin: Auth;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'on', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' }, { workers: true });
  admin = bearer(context.adminKey);
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await context.close();
});

async function subscribe(partner: Auth, events: string[]) {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const created = await api(context.app).post('/v1/webhooks').set(partner).send({ url: receiver.url, events }).expect(201);
  return { receiver, secret: created.body.secret as string };
}

const typesOf = (receiver: WebhookReceiver) => receiver.received.map((delivery) => (JSON.parse(delivery.body) as { type: string }).type);

describe('lifecycle events reach the owning partner’s webhook, signed', () => {
  it('delivers request.matched, invitation.created and invitation.accepted to the owner only', async () => {
    const owner = await createKey(context.app, admin, { role: 'partner' });
    const other = await createKey(context.app, admin, { role: 'partner' });
    const events = ['request.matched', 'invitation.created', 'invitation.accepted'];
    const ownerHook = await subscribe(owner, events);
    const otherHook = await subscribe(other, events);
    const expert = await createExpert(context.app, admin);

    const requestId = await submitRequest(context.app, owner);
    const [invitation] = await pendingInvitations(context.app, admin, requestId);
    expect(invitation!.expertId).toBe(expert.id);
    await api(context.app).post(`/v1/invitations/${invitation!.id}/accept`).set(expert.auth).expect(200);
    await waitForStage(context.app, owner, requestId, 'accepted');

    const received = await ownerHook.receiver.waitFor(3);
    expect(typesOf(ownerHook.receiver).sort()).toEqual(['invitation.accepted', 'invitation.created', 'request.matched']);
    const verifier = new Webhook(ownerHook.secret);
    for (const delivery of received) {
      const verified = verifier.verify(delivery.body, delivery.headers as Record<string, string>) as { data: Record<string, unknown> };
      expect(verified.data.requestId).toBe(requestId);
      expect(JSON.stringify(verified)).not.toMatch(/@example\.org/);
    }
    expect(otherHook.receiver.received).toEqual([]);
  });
});
