import { Schema, model } from 'mongoose';

const pointSchema = new Schema({ country: String, city: String, lat: Number, lon: Number }, { _id: false });
const moneySchema = new Schema({ amount: Number, currency: String }, { _id: false });
const linkSchema = new Schema({ label: String, url: String }, { _id: false });

const expertSchema = new Schema(
  {
    ownerId: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    headline: String,
    bio: String,
    skills: { type: [String], required: true },
    skillKeys: { type: [String], index: true },
    languages: { type: [String], index: true },
    location: { type: pointSchema, required: true },
    modes: { type: [String], required: true },
    capacity: { type: Number, required: true },
    status: { type: String, enum: ['active', 'paused'], required: true },
    hourlyRate: moneySchema,
    proBono: Boolean,
    links: { type: [linkSchema], default: undefined },
    ratingTotal: { type: Number, default: 0 },
    ratingCount: { type: Number, default: 0 },
    activeConsultations: { type: Number, default: 0 },
    pendingInvitations: { type: Number, default: 0 },
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'experts' },
);

export const ExpertModel = model('Expert', expertSchema);
