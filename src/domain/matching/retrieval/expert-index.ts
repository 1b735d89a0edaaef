import type { ExpertAnalysis } from '../analysis/expert-analysis';
import { availabilityFactor } from '../scoring/factors';
import type { CorpusStatistics } from '../scoring/bound-query';
import type { ConceptGraph } from '../taxonomy/concept-graph';
import { FeasibilityMasks } from './feasibility-masks';
import type { IndexedExpert } from './indexed-expert';
import { PostingList } from './posting-list';
import { expertSkillKeys } from './skill-keys';
import { TermSignatures } from './term-signatures';

/** Shared by the many profiles without free tags, to spare an empty map each. */
const NO_FREE_TAGS: ReadonlyMap<string, string> = new Map();

/**
 * Analysed profiles in slots, with postings from skill keys and text terms to slots.
 * A changed profile gets a fresh slot and its old slot is left dead, so updates touch
 * only the lists the profile appears in (O(profile size)) and never rebuild the index.
 */
export class ExpertIndex implements CorpusStatistics {
  private readonly experts: Array<IndexedExpert | undefined> = [];
  private readonly slotByExpertId = new Map<string, number>();
  private readonly termIdByStem = new Map<string, number>();
  private readonly termPostings: PostingList[] = [];
  private readonly skillPostings = new Map<string, PostingList>();
  /** Speakers per language: the shared-language constraint as a lookup. */
  private readonly languagePostings = new Map<string, PostingList>();
  readonly termSignatures = new TermSignatures();
  readonly feasibility = new FeasibilityMasks();
  private totalTextLength = 0;
  private readonly isLive = (slot: number): boolean => this.experts[slot] !== undefined;

  constructor(private readonly graph: ConceptGraph) {}

  get size(): number {
    return this.slotByExpertId.size;
  }

  /** Upper bound (exclusive) of slot numbers, live or dead. */
  get slotCount(): number {
    return this.experts.length;
  }

  get documentCount(): number {
    return this.size;
  }

  get averageLength(): number {
    return this.size > 0 ? this.totalTextLength / this.size : 0;
  }

  termId(stem: string): number | undefined {
    return this.termIdByStem.get(stem);
  }

  documentFrequency(termId: number): number {
    return this.termPostings[termId]?.liveCount ?? 0;
  }

  get(expertId: string): IndexedExpert | undefined {
    const slot = this.slotByExpertId.get(expertId);
    return slot === undefined ? undefined : this.experts[slot];
  }

  at(slot: number): IndexedExpert | undefined {
    return this.experts[slot];
  }

  skillPosting(key: string): PostingList | undefined {
    return this.skillPostings.get(key);
  }

  termPosting(termId: number): PostingList | undefined {
    return this.termPostings[termId];
  }

  upsert(analysis: ExpertAnalysis): IndexedExpert {
    this.remove(analysis.expertId);
    const slot = this.experts.length;
    const terms = [...analysis.terms.frequencies].map(([stem, frequency]) => [this.internTerm(stem), frequency] as const);
    terms.sort((a, b) => a[0] - b[0]);
    const expert: IndexedExpert = {
      slot,
      expertId: analysis.expertId,
      concepts: analysis.concepts.map((mention) => mention.concept),
      conceptStrengths: analysis.concepts.map((mention) => mention.strength),
      freeTags: analysis.freeTags.size > 0 ? analysis.freeTags : NO_FREE_TAGS,
      termIds: Int32Array.from(terms, ([termId]) => termId),
      termFrequencies: Float32Array.from(terms, ([, frequency]) => frequency),
      textLength: analysis.terms.length,
      languages: analysis.languages,
      online: analysis.online,
      onsite: analysis.onsite,
      place: analysis.place,
      status: analysis.status,
      capacity: analysis.capacity,
      activeConsultations: analysis.activeConsultations,
      pendingInvitations: analysis.pendingInvitations,
      availability: availabilityFactor(analysis.capacity, analysis.activeConsultations, analysis.pendingInvitations),
    };
    this.experts.push(expert);
    this.slotByExpertId.set(expert.expertId, slot);
    this.totalTextLength += expert.textLength;
    this.termSignatures.record(slot, expert.termIds);
    this.feasibility.record(expert);
    expert.termIds.forEach((termId, position) => this.termPostings[termId]?.add(slot, expert.termFrequencies[position] ?? 0));
    for (const [key, strength] of this.skillKeysOf(expert)) listFor(this.skillPostings, key).add(slot, strength);
    for (const language of expert.languages) listFor(this.languagePostings, language).add(slot, 1);
    return expert;
  }

  remove(expertId: string): boolean {
    const slot = this.slotByExpertId.get(expertId);
    const expert = slot === undefined ? undefined : this.experts[slot];
    if (slot === undefined || !expert) return false;
    this.experts[slot] = undefined;
    this.slotByExpertId.delete(expertId);
    this.totalTextLength -= expert.textLength;
    for (const termId of expert.termIds) this.termPostings[termId]?.markRemoved(this.isLive);
    for (const key of this.skillKeysOf(expert).keys()) this.skillPostings.get(key)?.markRemoved(this.isLive);
    for (const language of expert.languages) this.languagePostings.get(language)?.markRemoved(this.isLive);
    return true;
  }

  *liveExperts(): IterableIterator<IndexedExpert> {
    for (const expert of this.experts) if (expert) yield expert;
  }

  /** Live experts speaking any of the languages (all of them when none is required); a bilingual expert comes once per language. */
  *speakersOf(languages: readonly string[]): IterableIterator<IndexedExpert> {
    if (languages.length === 0) {
      yield* this.liveExperts();
      return;
    }
    for (const language of languages) {
      for (const slot of this.languagePostings.get(language)?.slots ?? []) {
        const expert = this.experts[slot];
        if (expert) yield expert;
      }
    }
  }

  private skillKeysOf(expert: IndexedExpert): Map<string, number> {
    return expertSkillKeys(this.graph, expert.concepts, expert.conceptStrengths, expert.freeTags.keys());
  }

  private internTerm(stem: string): number {
    let termId = this.termIdByStem.get(stem);
    if (termId === undefined) {
      termId = this.termPostings.length;
      this.termIdByStem.set(stem, termId);
      this.termPostings.push(new PostingList());
    }
    return termId;
  }
}

function listFor(postings: Map<string, PostingList>, key: string): PostingList {
  let list = postings.get(key);
  if (!list) {
    list = new PostingList();
    postings.set(key, list);
  }
  return list;
}
