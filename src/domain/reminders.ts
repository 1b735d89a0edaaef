/** How long before an invitation expires its reminder is due (issue 10 item 3: 24 h). */
export const INVITATION_REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/**
 * When the reminder of a pending invitation is due: INVITATION_REMINDER_LEAD_MS before `expiresAt`. Undefined when
 * the invitation's whole time to answer (from `createdAt`) is that long or shorter: a reminder would come with the
 * invitation itself.
 */
export function invitationReminderAt(invitation: { createdAt: Date; expiresAt: Date }): Date | undefined {
  if (invitation.expiresAt.getTime() - invitation.createdAt.getTime() <= INVITATION_REMINDER_LEAD_MS) return undefined;
  return new Date(invitation.expiresAt.getTime() - INVITATION_REMINDER_LEAD_MS);
}

/**
 * Whether a person gets reminder mails: yes unless they turned them off (`reminders: false` on an expert's profile
 * or on a request's contact). Other mails do not ask.
 */
export const wantsReminders = (person: { reminders?: boolean }): boolean => person.reminders !== false;

/** Whole hours left until `until` at `now`, at least 1 (a reminder never says "0 hours"). */
export const hoursLeft = (until: Date, now: Date): number => Math.max(1, Math.round((until.getTime() - now.getTime()) / 3_600_000));
