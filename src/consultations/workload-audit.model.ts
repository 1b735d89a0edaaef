import { Schema, model } from 'mongoose';

/**
 * A workload the audit found different from the recount, with the revision it had then. Kept in the database so the
 * confirming run may happen in another worker process.
 */
const workloadSuspicionSchema = new Schema(
  {
    _id: { type: String, required: true },
    revision: { type: Number, default: null },
    counted: {
      pendingInvitations: { type: Number, required: true },
      activeConsultations: { type: Number, required: true },
      ratingTotal: { type: Number, required: true },
      ratingCount: { type: Number, required: true },
    },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'workload_suspicions' },
);

export const WorkloadSuspicionModel = model('WorkloadSuspicion', workloadSuspicionSchema);
