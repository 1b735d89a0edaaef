import { Schema, model } from 'mongoose';
import { INVITATION_STATUSES } from '../domain/invitations';

const invitationSchema = new Schema(
  {
    requestId: { type: String, required: true },
    expertId: { type: String, required: true, index: true },
    requestOwnerId: { type: String, required: true },
    status: { type: String, enum: INVITATION_STATUSES, required: true, index: true },
    expiresAt: { type: Date, required: true },
    respondedAt: Date,
    declineReason: String,
    invitedBy: new Schema({ role: String, id: String }, { _id: false }),
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'invitations' },
);
// One invitation per expert and request, whatever the races.
invitationSchema.index({ requestId: 1, expertId: 1 }, { unique: true });

export const InvitationModel = model('Invitation', invitationSchema);
