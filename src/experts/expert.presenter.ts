import type { ExpertRecord } from './expert.repository';
import type { ExpertResponse } from './expert.schemas';

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
    ...(expert.ratingCount > 0 ? { ratingAverage: Math.round((expert.ratingTotal / expert.ratingCount) * 100) / 100 } : {}),
    ratingCount: expert.ratingCount,
    createdAt: expert.createdAt.toISOString(),
    updatedAt: expert.updatedAt.toISOString(),
  };
}
