import type { ButtonPurpose, LinkState } from '../domain/action-links';
import type { MailLanguage } from '../domain/people';
import type { Principal } from '../http/principal';
import type { MessageValues } from '../i18n/i18n';
import type { RequestRecord } from '../requests/request.repository';
import type { ActionTokenRecord } from './action-token.repository';

/** Who reads a link's pages: the language they are written in and the zone times are shown in. */
export interface Reader {
  language: MailLanguage;
  timeZone: string;
}

/** A form field a confirmation page asks for; `name` is the API's field name, so the form and the API call stay one. */
export interface PageField {
  name: string;
  label: string;
  kind: 'textarea';
  maxLength: number;
}

/** The content of the page a GET shows: what the link would do, and one button (a form POSTing to the same URL). */
export interface ConfirmationPage {
  title: string;
  intro: string;
  heading?: string;
  rows?: Array<{ label: string; value: string }>;
  /** Longer text after the rows, such as the request's description, one paragraph each. */
  paragraphs?: string[];
  /** A headed list after the rows, such as why an expert was matched. */
  list?: { heading: string; items: string[] };
  notes?: string[];
  fields?: PageField[];
  button: string;
}

/** What an action hands back to the page layer beyond "done": a sign-in link names the expert to start a session for. */
export interface LinkResult {
  signedIn?: { expertId: string };
}

/** The content of the page after a POST that acted. */
export interface DonePage {
  title: string;
  text: string;
}

/** A refusal page's message: the catalogue key's prefix (`page.link.<prefix>.title`/`.text`) and its values. */
export interface RefusalMessage {
  key: string;
  values?: MessageValues;
}

/**
 * What one purpose of link does (issue 10 item 4), as the generic link service (action-link.service.ts) asks it:
 * load its subject, say what the link can do now, describe the pages, parse the form with the API's own schema, and
 * perform the action through the same service call the API route makes, as the party the link stands for.
 */
export interface LinkHandler<Subject, Input> {
  /** Reads what the token is about, fresh; undefined when it is gone or no longer the token party's business. */
  load(token: ActionTokenRecord): Promise<Subject | undefined>;
  /** Whom the pages are for; undefined when the subject no longer says (the visitor's Accept-Language decides). */
  reader(subject: Subject): Reader | undefined;
  /** What the link can do at `now`; usually a pure rule in src/domain/action-links.ts. */
  state(token: ActionTokenRecord, subject: Subject, now: Date): LinkState;
  confirmation(token: ActionTokenRecord, subject: Subject, reader: Reader, now: Date): ConfirmationPage;
  /** The POSTed form (empty fields already dropped) parsed with the API's schema; throws AppError `validation_failed`. */
  parse(form: Record<string, unknown>): Input;
  /**
   * Performs the action through the service the API calls, as principalFor(token, …). An AppError `conflict` means
   * the state moved on meanwhile: the link is inspected again, and when it is still ready by its own rule the page
   * says `unavailable`.
   */
  act(token: ActionTokenRecord, subject: Subject, input: Input, now: Date): Promise<void | LinkResult>;
  done(token: ActionTokenRecord, subject: Subject, reader: Reader): DonePage;
  /** The message of a refusal page when this purpose words it its own way; the generic `page.link.<refusal>` otherwise. */
  refusal?(refusal: string, token: ActionTokenRecord, subject: Subject, reader: Reader): RefusalMessage | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds handlers of different subjects and inputs
export type LinkHandlers = Readonly<Record<ButtonPurpose, LinkHandler<any, any>>>;

/** The principal a link acts as: the expert it was sent to, or (for a contact) the request's owner. The key id names the link, never the token. */
export function principalFor(token: ActionTokenRecord, request?: Pick<RequestRecord, 'ownerId'>): Principal {
  const keyId = `link:${token.id.slice(0, 12)}`;
  if (token.partyRole === 'expert') return { role: 'expert', keyId, ownerId: token.partyId, expertId: token.partyId };
  if (!request) throw new Error('a contact link acts as the owner of its request');
  return { role: 'requester', keyId, ownerId: request.ownerId };
}

