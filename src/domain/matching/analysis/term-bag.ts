import type { ConceptMention } from '../taxonomy/concept-matcher';
import { contentTokens, type AnalysedText } from '../text/text-analysis';

/** Weighted term frequencies over fields (BM25F-style: a headline word counts more than a bio word). */
export class TermBag {
  readonly frequencies = new Map<string, number>();
  /** First surface form seen per stem, for explanations. */
  readonly surfaces = new Map<string, string>();
  length = 0;

  add(text: AnalysedText, fieldWeight: number): void {
    const tokens = contentTokens(text);
    for (const token of tokens) {
      this.frequencies.set(token.stem, (this.frequencies.get(token.stem) ?? 0) + fieldWeight);
      if (!this.surfaces.has(token.stem)) this.surfaces.set(token.stem, token.surface);
    }
    this.length += fieldWeight * tokens.length;
  }
}

/** Keeps the strongest mention of each concept, scaled by how much the source field counts. */
export class ConceptBag {
  readonly strengths = new Map<number, number>();

  add(mentions: readonly ConceptMention[], sourceWeight: number): void {
    for (const { concept, strength } of mentions) {
      const weighted = strength * sourceWeight;
      if (weighted > (this.strengths.get(concept) ?? 0)) this.strengths.set(concept, weighted);
    }
  }

  toMentions(): ConceptMention[] {
    return [...this.strengths].map(([concept, strength]) => ({ concept, strength })).sort((a, b) => a.concept - b.concept);
  }
}
