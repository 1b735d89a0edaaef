import { Schema, model } from 'mongoose';
import { STAGES } from '../domain/stages';

const organizationSchema = new Schema({ name: String, type: String, country: String, website: String }, { _id: false });
const pointSchema = new Schema({ country: String, city: String, lat: Number, lon: Number }, { _id: false });
const moneySchema = new Schema({ amount: Number, currency: String }, { _id: false });
// `reminders: false` once the contact turned reminder mails off through a reminder's link; erased with the contact.
const contactSchema = new Schema({ name: String, email: String, language: String, reminders: Boolean }, { _id: false });
const slotSchema = new Schema({ id: String, startsAt: Date, durationMinutes: Number }, { _id: false });
const proposalSchema = new Schema(
  { number: Number, slots: [slotSchema], timeZone: String, location: String, meetingUrl: String, step: Number, proposedAt: Date, pickedSlotId: String, pickedAt: Date },
  { _id: false },
);
const historySchema = new Schema(
  { stage: { type: String, enum: STAGES }, at: Date, actor: new Schema({ role: String, id: String }, { _id: false }), note: String },
  { _id: false },
);

const requestSchema = new Schema(
  {
    ownerId: { type: String, required: true, index: true },
    organization: { type: organizationSchema, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    skills: { type: [String], default: [] },
    languages: { type: [String], required: true },
    location: { type: pointSchema, required: true },
    mode: { type: String, enum: ['online', 'onsite', 'any'], required: true },
    topic: String,
    deadline: String,
    budget: moneySchema,
    contact: contactSchema,
    stage: { type: String, enum: STAGES, required: true, index: true },
    invitedExpertIds: { type: [String], default: [] },
    invitationIds: { type: [String], default: [] },
    invitationCount: { type: Number, default: 0 },
    acceptedExpertId: { type: String, index: true },
    acceptedExpertCountry: String,
    acceptedAt: Date,
    schedule: new Schema({ startsAt: Date, durationMinutes: Number, location: String, meetingUrl: String }, { _id: false }),
    proposal: proposalSchema,
    summary: String,
    completedAt: Date,
    feedback: new Schema({ rating: Number, comment: String, at: Date }, { _id: false }),
    cancellationReason: String,
    history: { type: [historySchema], required: true },
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'requests' },
);

export const RequestModel = model('ConsultationRequest', requestSchema);
