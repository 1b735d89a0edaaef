import { randomUUID } from 'node:crypto';
import { SIGN_IN_LINK_TTL_MS } from '../domain/action-links';
import { languageOf } from '../experts/expert.presenter';
import type { ExpertRecord } from '../experts/expert.repository';
import type { IssueLinks } from '../links/action-tokens';
import { expertRecipient } from '../mail/mail-notifications';
import type { MailOutbox } from '../mail/mail-outbox';
import { recordWithLinks } from '../mail/recording';
import { signInMail } from '../mail/mails/sign-in.mail';

export type SignIn = ReturnType<typeof createSignIn>;

/**
 * Password-less sign-in to the hosted pages (issue 11 item 4): `/experts/login` asks for an e-mail address and, when
 * a profile has it, mails a single-use `sign_in` link that works for 15 minutes. Whether a profile has
 * the address is never told to the asker: the page says the same either way.
 */
export function createSignIn(deps: {
  outbox: MailOutbox;
  issueLinks: IssueLinks;
  dropLinks: (tokenIds: readonly string[]) => Promise<void>;
  findExpertByEmail: (email: string) => Promise<ExpertRecord | undefined>;
}) {
  return {
    /** Mails a sign-in link to the expert with `email`, if there is one; resolves the same way when there is none. */
    async mailLink(email: string, now = new Date()): Promise<void> {
      const expert = await deps.findExpertByEmail(email);
      if (!expert) return;
      const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_TTL_MS);
      const language = languageOf(expert);
      await recordWithLinks(
        deps,
        // Every request for a link is a mail of its own.
        { eventKey: `expert.sign_in:${expert.id}:${randomUUID()}`, recipient: expertRecipient(expert.id) },
        [{ purpose: 'sign_in', subjectId: expert.id, partyRole: 'expert', partyId: expert.id, expiresAt }],
        ([link]) => ({ kind: 'sign_in', to: expert.email, language, ...signInMail({ name: expert.name, language }, link!, SIGN_IN_LINK_TTL_MS / 60_000) }),
      );
    },
  };
}
