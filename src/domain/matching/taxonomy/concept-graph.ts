import type { Taxonomy, TaxonomyConcept } from './parse-taxonomy';

export type ConceptRelation = 'same' | 'narrower' | 'broader' | 'sibling' | 'group';

/**
 * Credit an expert concept earns towards a requested concept. A specialist in a narrower
 * concept usually serves a general request well; a generalist (broader concept) less so;
 * a sibling under the same parent or a concept in the same field is only adjacent
 * expertise. Ordered from strongest to weakest, which the index relies on.
 */
export const RELATION_CREDIT: Readonly<Record<ConceptRelation, number>> = {
  same: 1,
  narrower: 0.8,
  broader: 0.6,
  sibling: 0.45,
  group: 0.25,
};

export const NO_PARENT = -1;

/** The taxonomy with concepts and groups numbered, and ancestry precomputed. */
export class ConceptGraph {
  readonly concepts: readonly TaxonomyConcept[];
  readonly groupIds: readonly string[];
  private readonly conceptIndex = new Map<string, number>();
  private readonly groupOfConcept: number[];
  private readonly parentOfConcept: number[];
  private readonly ancestorsOfConcept: Array<ReadonlySet<number>>;

  constructor(taxonomy: Taxonomy) {
    this.concepts = taxonomy.concepts;
    this.groupIds = taxonomy.groups.map((group) => group.id);
    const groupIndex = new Map(this.groupIds.map((id, index) => [id, index]));
    taxonomy.concepts.forEach((concept, index) => this.conceptIndex.set(concept.id, index));
    this.groupOfConcept = taxonomy.concepts.map((concept) => groupIndex.get(concept.group) ?? NO_PARENT);
    this.parentOfConcept = taxonomy.concepts.map((concept) =>
      concept.broader === undefined ? NO_PARENT : (this.conceptIndex.get(concept.broader) ?? NO_PARENT),
    );
    this.ancestorsOfConcept = taxonomy.concepts.map((_, index) => {
      const ancestors = new Set<number>();
      for (let parent = this.parentOf(index); parent !== NO_PARENT && !ancestors.has(parent); parent = this.parentOf(parent)) {
        ancestors.add(parent);
      }
      return ancestors;
    });
  }

  get size(): number {
    return this.concepts.length;
  }

  indexOf(conceptId: string): number | undefined {
    return this.conceptIndex.get(conceptId);
  }

  groupOf(concept: number): number {
    return this.groupOfConcept[concept] ?? NO_PARENT;
  }

  parentOf(concept: number): number {
    return this.parentOfConcept[concept] ?? NO_PARENT;
  }

  ancestorsOf(concept: number): ReadonlySet<number> {
    return this.ancestorsOfConcept[concept] ?? new Set();
  }

  /** How the expert's concept relates to the requested one, strongest relation first. */
  relation(requested: number, offered: number): ConceptRelation | undefined {
    if (requested === offered) return 'same';
    if (this.ancestorsOf(offered).has(requested)) return 'narrower';
    if (this.ancestorsOf(requested).has(offered)) return 'broader';
    const parent = this.parentOf(requested);
    if (parent !== NO_PARENT && parent === this.parentOf(offered)) return 'sibling';
    if (this.groupOf(requested) === this.groupOf(offered)) return 'group';
    return undefined;
  }

  conceptId(concept: number): string {
    return this.concepts[concept]?.id ?? '';
  }

  englishLabel(concept: number): string {
    return this.concepts[concept]?.labels.en?.[0] ?? this.conceptId(concept);
  }
}
