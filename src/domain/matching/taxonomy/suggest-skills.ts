import { foldKey } from '../text/fold';
import { editsWithin } from '../text/bounded-distance';
import type { Taxonomy } from './parse-taxonomy';

export type SuggestionLanguage = 'en' | 'pl' | 'de' | 'lt' | 'sv';

export interface SkillSuggestion {
  id: string;
  /** Preferred label in the requested language, or English. */
  label: string;
  group: string;
  matchedLabel: string;
  lang: string;
}

interface SearchableLabel {
  readonly conceptIndex: number;
  readonly language: string;
  readonly label: string;
  readonly key: string;
  readonly words: readonly string[];
  readonly preferred: boolean;
}

interface SearchableLabels {
  readonly labels: readonly SearchableLabel[];
  readonly longestKey: number;
}

const labelCache = new WeakMap<Taxonomy, SearchableLabels>();

function searchableLabels(taxonomy: Taxonomy): SearchableLabels {
  const cached = labelCache.get(taxonomy);
  if (cached) return cached;
  const labels = taxonomy.concepts.flatMap((concept, conceptIndex) =>
    Object.entries(concept.labels).flatMap(([language, list]) =>
      list.map((label, position) => {
        const key = foldKey(label);
        return { conceptIndex, language, label, key, words: key.split(/[\s\-/]+/), preferred: position === 0 };
      }),
    ),
  );
  const searchable = { labels, longestKey: labels.reduce((longest, label) => Math.max(longest, label.key.length), 0) };
  labelCache.set(taxonomy, searchable);
  return searchable;
}

const EXACT = 0;
const PREFIX = 1;
const WORD_PREFIX = 2;
const FUZZY = 3;

/** Typo tolerance grows with what has been typed; under four letters only prefixes count. */
function fuzzyEditsFor(length: number): number {
  if (length < 4) return 0;
  return length >= 8 ? 2 : 1;
}

function matchTier(query: string, label: SearchableLabel): number | undefined {
  if (label.key === query) return EXACT;
  if (label.key.startsWith(query)) return PREFIX;
  if (label.words.some((word) => word.startsWith(query))) return WORD_PREFIX;
  const allowed = fuzzyEditsFor(query.length);
  // The label's start is compared, so a label shorter than the query by more than the allowed edits cannot match.
  if (allowed === 0 || label.key[0] !== query[0] || label.key.length < query.length - allowed) return undefined;
  let edits: number | undefined;
  for (const length of [query.length - 1, query.length, query.length + 1]) {
    const found = editsWithin(query, label.key.slice(0, length), allowed);
    if (found !== undefined && (edits === undefined || found < edits)) edits = found;
  }
  // Fewer edits rank first within the fuzzy tier.
  return edits === undefined ? undefined : FUZZY + edits / (allowed + 1);
}

/**
 * Autocomplete over concept labels: prefix first, then typo-tolerant, ignoring case and diacritics. A query whose
 * folded form is longer than every label plus the allowed edits can match none (folding may double its length:
 * æ → ae, ß → ss), so it is answered without comparing; otherwise each comparison costs at most (label length)².
 */
export function suggestSkills(taxonomy: Taxonomy, query: string, lang: SuggestionLanguage | undefined, limit: number): SkillSuggestion[] {
  const folded = foldKey(query);
  const { labels, longestKey } = searchableLabels(taxonomy);
  if (folded === '' || limit <= 0 || folded.length > longestKey + fuzzyEditsFor(folded.length)) return [];
  const candidates: Array<{ label: SearchableLabel; tier: number }> = [];
  for (const label of labels) {
    if (lang !== undefined && label.language !== lang && label.language !== 'en') continue;
    const tier = matchTier(folded, label);
    if (tier !== undefined) candidates.push({ label, tier });
  }
  candidates.sort(
    (a, b) =>
      a.tier - b.tier ||
      Number(b.label.language === lang) - Number(a.label.language === lang) ||
      Number(b.label.preferred) - Number(a.label.preferred) ||
      a.label.key.length - b.label.key.length ||
      a.label.conceptIndex - b.label.conceptIndex,
  );
  const seen = new Set<number>();
  const suggestions: SkillSuggestion[] = [];
  for (const { label } of candidates) {
    if (seen.has(label.conceptIndex)) continue;
    seen.add(label.conceptIndex);
    const concept = taxonomy.concepts[label.conceptIndex];
    if (!concept) continue;
    const display = concept.labels[lang ?? 'en']?.[0] ?? concept.labels.en?.[0] ?? concept.id;
    suggestions.push({ id: concept.id, label: display, group: concept.group, matchedLabel: label.label, lang: label.language });
    if (suggestions.length >= limit) break;
  }
  return suggestions;
}
