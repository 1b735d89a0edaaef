import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes (the HMAC key). */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The Standard Webhooks headers for one attempt; the timestamp is the attempt's, so receivers can reject replays. */
export function signatureHeaders(secret: string, messageId: string, sentAt: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, sentAt, body),
  };
}
