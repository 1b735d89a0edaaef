import type { ExpertForMatching, RequestForMatching } from '../domain/matching';
import type { ExpertRecord } from '../experts/expert.repository';
import type { RequestRecord } from '../requests/request.repository';

export function toExpertForMatching(expert: ExpertRecord): ExpertForMatching {
  return {
    id: expert.id,
    name: expert.name,
    headline: expert.headline,
    bio: expert.bio,
    skills: expert.skills,
    languages: expert.languages,
    location: expert.location,
    modes: expert.modes,
    capacity: expert.capacity,
    activeConsultations: expert.activeConsultations,
    pendingInvitations: expert.pendingInvitations,
    status: expert.status,
  };
}

export function toRequestForMatching(request: RequestRecord): RequestForMatching {
  return {
    id: request.id,
    title: request.title,
    description: request.description,
    skills: request.skills,
    languages: request.languages,
    location: request.location,
    mode: request.mode,
    organizationCountry: request.organization.country,
    topic: request.topic,
  };
}
