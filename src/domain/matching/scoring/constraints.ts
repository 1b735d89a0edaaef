import type { RequestAnalysis } from '../analysis/request-analysis';
import type { IndexedExpert } from '../retrieval/indexed-expert';
import type { Exclusion } from '../types';
import { freeSlots } from './factors';

function sharesLanguage(request: RequestAnalysis, expert: IndexedExpert): boolean {
  if (request.languages.length === 0) return true;
  for (const language of request.languages) if (expert.languages.includes(language)) return true;
  return false;
}

function worksInMode(request: RequestAnalysis, expert: IndexedExpert): boolean {
  if (request.mode === 'onsite') return expert.onsite;
  if (request.mode === 'online') return expert.online;
  return expert.online || expert.onsite;
}

function hasCapacity(expert: IndexedExpert): boolean {
  return freeSlots(expert.capacity, expert.activeConsultations) > 0;
}

/** An expert is never asked more often at once than they could say yes: pending invitations stay below free slots. */
function takesInvitations(expert: IndexedExpert): boolean {
  return expert.pendingInvitations < freeSlots(expert.capacity, expert.activeConsultations);
}

/** The cheap check the ranking paths use; it agrees with findExclusions(...).length === 0. */
export function isFeasible(request: RequestAnalysis, expert: IndexedExpert): boolean {
  return expert.status === 'active' && sharesLanguage(request, expert) && worksInMode(request, expert) && takesInvitations(expert);
}

/** Every hard constraint the expert fails, as codes with their parameters. */
export function findExclusions(request: RequestAnalysis, expert: IndexedExpert): Exclusion[] {
  const exclusions: Exclusion[] = [];
  if (expert.status === 'erased') exclusions.push({ code: 'erased', params: {} });
  if (expert.status === 'paused') exclusions.push({ code: 'paused', params: {} });
  if (!sharesLanguage(request, expert)) exclusions.push({ code: 'no_shared_language', params: { speaks: [...expert.languages], needs: [...request.languages] } });
  if (!worksInMode(request, expert)) exclusions.push({ code: 'mode_mismatch', params: { mode: request.mode } });
  if (!hasCapacity(expert)) {
    exclusions.push({ code: 'no_capacity', params: { taken: Math.max(0, expert.activeConsultations), capacity: Math.max(0, expert.capacity) } });
  } else if (!takesInvitations(expert)) {
    exclusions.push({ code: 'invitations_full', params: { pending: expert.pendingInvitations, free: freeSlots(expert.capacity, expert.activeConsultations) } });
  }
  return exclusions;
}
