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

/** Every hard constraint the expert fails, in plain English. */
export function findExclusions(request: RequestAnalysis, expert: IndexedExpert): Exclusion[] {
  const exclusions: Exclusion[] = [];
  if (expert.status === 'erased') exclusions.push({ code: 'erased', message: 'Profile has been erased' });
  if (expert.status === 'paused') exclusions.push({ code: 'paused', message: 'Profile is paused' });
  if (!sharesLanguage(request, expert)) {
    const spoken = expert.languages.length > 0 ? expert.languages.join(', ') : 'none listed';
    exclusions.push({
      code: 'no_shared_language',
      message: `No shared language (speaks ${spoken}; request needs ${request.languages.join(', ')})`,
    });
  }
  if (!worksInMode(request, expert)) {
    const message = request.mode === 'any' ? 'Works neither online nor onsite' : `Does not work ${request.mode}`;
    exclusions.push({ code: 'mode_mismatch', message });
  }
  if (!hasCapacity(expert)) {
    const taken = Math.max(0, expert.activeConsultations);
    exclusions.push({ code: 'no_capacity', message: `No free capacity (${taken} of ${Math.max(0, expert.capacity)} slots taken)` });
  } else if (!takesInvitations(expert)) {
    const free = freeSlots(expert.capacity, expert.activeConsultations);
    exclusions.push({ code: 'invitations_full', message: `Already has ${expert.pendingInvitations} pending invitations for ${free} free slots` });
  }
  return exclusions;
}
