import { Schema, model } from 'mongoose';
import { inPartition } from '../infra/partitions';

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed', 'erased'] as const;
export const MAIL_KINDS = [
  'request_received',
  'invitation',
  'invitation_accepted',
  'invitation_withdrawn',
  'request_unmatched',
  'slots_proposed',
  'consultation_scheduled',
  'consultation_cancelled',
  'request_confirmation',
  // Reminders, the rating request and the feedback received (src/mail/reminder-notifications.ts).
  'invitation_reminder',
  'consultation_reminder',
  'rating_request',
  'feedback_received',
  // The hosted pages' sign-in link to an expert (src/sessions/sign-in.ts).
  'sign_in',
  // The confirmation link of an expert's sign-up at /experts/join (src/experts/hosted-experts.ts).
  'expert_confirmation',
] as const;

/**
 * One mail, written before anything is sent. `_id` derives from (event key, recipient), so recording it twice inserts
 * once; the mail is rendered when recorded and `messageId` fixed then, so every attempt sends the same message.
 * `recipient` names a party (`expert:<id>`, `contact:<requestId>`), never an address. Erasure empties the personal
 * fields and leaves the status `erased`, so a late re-recording of the same event cannot bring the mail back.
 */
const mailSchema = new Schema(
  {
    _id: { type: String, required: true },
    eventKey: { type: String, required: true },
    kind: { type: String, enum: MAIL_KINDS, required: true },
    recipient: { type: String, required: true, index: true },
    // The request the mail is about; none for a mail about the person alone (a sign-in link).
    requestId: { type: String, index: true },
    to: String,
    language: { type: String, required: true },
    subject: String,
    text: String,
    html: String,
    // An iCalendar invite sent with the mail (nodemailer's icalEvent): personal data, erased with the rest.
    calendar: new Schema({ method: { type: String, enum: ['REQUEST', 'CANCEL'] }, content: String }, { _id: false }),
    // Extra header fields fixed with the mail (List-Unsubscribe on reminders); erased with the content.
    headers: { type: Map, of: String, default: undefined },
    messageId: { type: String, required: true },
    status: { type: String, enum: MAIL_STATUSES, required: true },
    attemptCount: { type: Number, required: true },
    nextAttemptAt: { type: Date, default: null, index: true },
    claimedAt: Date,
    sentAt: Date,
    lastError: String,
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'mail_outbox' },
);

export const MailModel = inPartition('outbox', model('Mail', mailSchema));
