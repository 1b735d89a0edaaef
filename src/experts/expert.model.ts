import { Schema, model } from 'mongoose';

const pointSchema = new Schema({ country: String, city: String, lat: Number, lon: Number }, { _id: false });
const moneySchema = new Schema({ amount: Number, currency: String }, { _id: false });
const linkSchema = new Schema({ label: String, url: String }, { _id: false });

const expertSchema = new Schema(
  {
    ownerId: { type: String, required: true },
    name: { type: String, required: true },
    // The lookup key (emailLookupKey: lower case), unique; the address as given is in emailAsGiven. Profiles stored
    // before the spelling was kept have only `email`, which was then stored lower-cased: it is also their spelling.
    email: { type: String, required: true, unique: true },
    emailAsGiven: String,
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
    preferredLanguage: String,
    timeZone: String,
    // false: the expert turned reminder mails off (the API or a reminder's link); absent: on.
    reminders: Boolean,
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'experts' },
);

export const ExpertModel = model('Expert', expertSchema);

/** What the lifecycle records about an expert, kept apart from the profile so the two never overwrite each other. */
const workloadSchema = new Schema(
  {
    _id: { type: String, required: true },
    pendingInvitations: { type: Number, required: true },
    activeConsultations: { type: Number, required: true },
    ratingTotal: { type: Number, required: true },
    ratingCount: { type: Number, required: true },
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'expert_workloads' },
);

export const ExpertWorkloadModel = model('ExpertWorkload', workloadSchema);
