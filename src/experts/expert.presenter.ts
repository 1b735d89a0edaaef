import { defaultPreferredLanguage, defaultTimeZone, type MailLanguage } from '../domain/people';
import { wantsReminders } from '../domain/reminders';
import type { ExpertRecord } from './expert.repository';
import type { ExpertResponse } from './expert.schemas';

/** The language the service writes to the expert in: the one they chose, or defaultPreferredLanguage. */
export const languageOf = (expert: Pick<ExpertRecord, 'preferredLanguage' | 'languages'>): MailLanguage => expert.preferredLanguage ?? defaultPreferredLanguage(expert.languages);
/** The expert's IANA zone: the one they chose, or their country's (defaultTimeZone). */
export const timeZoneOf = (expert: Pick<ExpertRecord, 'timeZone' | 'location'>): string => expert.timeZone ?? defaultTimeZone(expert.location.country);

export function presentExpert(expert: ExpertRecord): ExpertResponse {
  return {
    id: expert.id,
    name: expert.name,
    email: expert.email,
    ...(expert.headline !== undefined ? { headline: expert.headline } : {}),
    ...(expert.bio !== undefined ? { bio: expert.bio } : {}),
    skills: expert.skills,
    languages: expert.languages,
    location: expert.location,
    modes: expert.modes,
    capacity: expert.capacity,
    status: expert.status,
    ...(expert.hourlyRate ? { hourlyRate: expert.hourlyRate } : {}),
    ...(expert.proBono !== undefined ? { proBono: expert.proBono } : {}),
    ...(expert.links ? { links: expert.links } : {}),
    preferredLanguage: languageOf(expert),
    timeZone: timeZoneOf(expert),
    reminders: wantsReminders(expert),
    ...(expert.ratingCount > 0 ? { ratingAverage: Math.round((expert.ratingTotal / expert.ratingCount) * 100) / 100 } : {}),
    ratingCount: expert.ratingCount,
    createdAt: expert.createdAt.toISOString(),
    updatedAt: expert.updatedAt.toISOString(),
  };
}
