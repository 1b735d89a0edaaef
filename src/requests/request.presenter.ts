import type { RequestRecord } from './request.repository';
import type { RequestResponse } from './request.schemas';

export function presentRequest(request: RequestRecord): RequestResponse {
  return {
    id: request.id,
    organization: request.organization,
    title: request.title,
    description: request.description,
    skills: request.skills,
    languages: request.languages,
    location: request.location,
    mode: request.mode,
    ...(request.topic !== undefined ? { topic: request.topic } : {}),
    ...(request.deadline !== undefined ? { deadline: request.deadline } : {}),
    ...(request.budget ? { budget: request.budget } : {}),
    stage: request.stage,
    history: request.history.map((entry) => ({
      stage: entry.stage,
      at: entry.at.toISOString(),
      actor: entry.actor,
      ...(entry.note !== undefined ? { note: entry.note } : {}),
    })),
    ...(request.acceptedExpertId ? { acceptedExpertId: request.acceptedExpertId } : {}),
    ...(request.schedule ? { schedule: { ...request.schedule, startsAt: request.schedule.startsAt.toISOString() } } : {}),
    ...(request.summary !== undefined ? { summary: request.summary } : {}),
    ...(request.feedback ? { feedback: { ...request.feedback, at: request.feedback.at.toISOString() } } : {}),
    ...(request.cancellationReason !== undefined ? { cancellationReason: request.cancellationReason } : {}),
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  };
}
