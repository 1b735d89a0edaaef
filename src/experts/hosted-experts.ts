import { Types } from 'mongoose';
import type { Principal } from '../http/principal';
import type { IssueLinks } from '../links/action-tokens';
import { expertRecipient } from '../mail/mail-notifications';
import type { MailOutbox } from '../mail/mail-outbox';
import { expertConfirmationMail } from '../mail/mails/expert-confirmation.mail';
import { hostedOwnerId } from '../requests/hosted-requests';
import type { SignIn } from '../sessions/sign-in';
import { expertDraftRepository, type ExpertDraft } from './expert-draft.repository';
import { languageOf } from './expert.presenter';
import { expertRepository, type ExpertRecord } from './expert.repository';
import type { ExpertInput } from './expert.schemas';
import type { ExpertService } from './expert.service';

/** How long the confirmation link of a sign-up works; an unconfirmed sign-up is deleted after it. */
export const EXPERT_DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Whom a confirmed sign-up creates the profile as: the owner derived from the address (hostedOwnerId, the same one
 * the hosted request form uses, so one address is one owner and the id names no person), acting as the expert the
 * profile becomes.
 */
const draftPrincipal = (draft: ExpertDraft): Principal => ({ role: 'expert', keyId: 'hosted-join', ownerId: draft.ownerId, expertId: draft.id });

export type HostedExperts = ReturnType<typeof createHostedExperts>;

/**
 * Creates the profile of a confirmed sign-up through the expert service (same id as the draft), then drops the draft.
 * A confirmation repeated after a crash between the two writes finds the profile made and only removes the draft.
 * AppError `duplicate` when another profile took the address meanwhile (the draft stays until it expires).
 */
export async function confirmExpertDraft(experts: Pick<ExpertService, 'create'>, draft: ExpertDraft): Promise<ExpertRecord> {
  const expert = (await expertRepository.findById(draft.id)) ?? (await experts.create(draftPrincipal(draft), draft.input, draft.id));
  await expertDraftRepository.delete(draft.id);
  return expert;
}

/**
 * Sign-ups of experts through the hosted page `/experts/join` (issue 11 item 4), confirmed by mail: `join` keeps a
 * draft and mails a single-use `confirm_expert` link (24 hours), whose POST creates the profile (confirmExpertDraft)
 * and signs the expert in. An address that has a profile gets a sign-in link instead, and the page says the same
 * either way, so the form does not tell who has a profile. Needs the mail outbox (no mail, no sign-up).
 */
export function createHostedExperts(deps: {
  outbox: MailOutbox;
  issueLinks: IssueLinks;
  dropLinks: (tokenIds: readonly string[]) => Promise<void>;
  signIn: SignIn;
  findExpertByEmail: (email: string) => Promise<ExpertRecord | undefined>;
}) {
  return {
    /** Keeps the sign-up and mails its confirmation link, or (address taken) mails a sign-in link; resolves the same way for both. */
    async join(input: ExpertInput, now = new Date()): Promise<void> {
      if (await deps.findExpertByEmail(input.email)) return deps.signIn.mailLink(input.email, now);
      const id = new Types.ObjectId().toHexString();
      const expiresAt = new Date(now.getTime() + EXPERT_DRAFT_TTL_MS);
      await expertDraftRepository.insert({ id, input, ownerId: hostedOwnerId(input.email), expiresAt });
      const issued = await deps.issueLinks([{ purpose: 'confirm_expert', subjectId: id, partyRole: 'expert', partyId: id, expiresAt }]);
      const language = languageOf(input);
      try {
        await deps.outbox.record({
          eventKey: `expert.draft:${id}`,
          recipient: expertRecipient(id),
          kind: 'expert_confirmation',
          to: input.email,
          language,
          ...expertConfirmationMail({ name: input.name, language }, issued.urls[0]!, EXPERT_DRAFT_TTL_MS / 3_600_000),
        });
      } catch (error) {
        await deps.dropLinks(issued.tokenIds);
        await expertDraftRepository.delete(id);
        throw error;
      }
    },
  };
}
