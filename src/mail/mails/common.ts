import type { MailLanguage } from '../../domain/people';
import { countryName, formatDay } from '../../i18n/dates';
import { translatorFor, type MessageKey } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import type { MailBlock } from '../compose';

/** What a request asks for, as label/value rows in the reader's language: title, organisation and type, place, mode, deadline, website. */
export function requestRows(request: Pick<RequestRecord, 'title' | 'organization' | 'location' | 'mode' | 'deadline'>, language: MailLanguage): Array<{ label: string; value: string; href?: string }> {
  const t = translatorFor(language);
  const { organization, location } = request;
  const country = countryName(location.country, language);
  return [
    { label: t('mail.label.title'), value: request.title },
    { label: t('mail.label.organization'), value: t('mail.organizationWithType', { name: organization.name, type: t(`mail.orgType.${organization.type}` as MessageKey) }) },
    { label: t('mail.label.place'), value: location.city ? `${location.city}, ${country}` : country },
    { label: t('mail.label.mode'), value: t(`mail.mode.${request.mode}` as MessageKey) },
    ...(request.deadline ? [{ label: t('mail.label.deadline'), value: formatDay(request.deadline, language) }] : []),
    ...(organization.website ? [{ label: t('mail.label.website'), value: organization.website, href: organization.website }] : []),
  ];
}

/**
 * The contact's link to their request's status page (`/r/{token}`, a fresh 30 days from this mail), placed after a
 * mail's one-click links (issue 10 item 3: other links come after the actions). Nothing without a link.
 */
export const statusLinkBlock = (language: MailLanguage, href: string | undefined): MailBlock[] =>
  href ? [{ links: [{ label: translatorFor(language)('mail.requestReceived.statusLink'), href }] }] : [];

export const signature = (language: MailLanguage): MailBlock[] => {
  const t = translatorFor(language);
  return [{ paragraph: `${t('mail.signOff')}\n${t('mail.team')}` }];
};

/** Language codes as the reader names them, joined as a list in their language: "litewski lub angielski". */
export function languageNames(codes: readonly string[], language: MailLanguage, type: 'conjunction' | 'disjunction'): string {
  const names = new Intl.DisplayNames([language], { type: 'language' });
  return new Intl.ListFormat(language, { type }).format(codes.map((code) => names.of(code) ?? code));
}
