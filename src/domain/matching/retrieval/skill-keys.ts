import type { RequestSkillItem } from '../analysis/request-analysis';
import { NO_PARENT, RELATION_CREDIT, type ConceptGraph } from '../taxonomy/concept-graph';

/**
 * Posting keys that make partial credit an index lookup. An expert concept posts under
 * itself (c:), under each of its ancestors (n: "has something narrower than") and under
 * its parent (s: "has a child of"). A requested concept then reads exactly the lists
 * whose experts stand in each relation to it. Same-group credit is not posted: group
 * lists would hold a large share of all experts, so ranking bounds it instead.
 */
export function expertSkillKeys(
  graph: ConceptGraph,
  concepts: readonly number[],
  strengths: readonly number[],
  freeTagKeys: Iterable<string>,
): Map<string, number> {
  const keys = new Map<string, number>();
  const post = (key: string, strength: number) => {
    if (strength > (keys.get(key) ?? 0)) keys.set(key, strength);
  };
  concepts.forEach((concept, position) => {
    const strength = strengths[position] ?? 0;
    post(`c:${concept}`, strength);
    for (const ancestor of graph.ancestorsOf(concept)) post(`n:${ancestor}`, strength);
    const parent = graph.parentOf(concept);
    if (parent !== NO_PARENT) post(`s:${parent}`, strength);
  });
  for (const key of freeTagKeys) post(`f:${key}`, 1);
  return keys;
}

/** Credit an expert may earn for an item without appearing in any of its posting lists. */
export function unpostedCredit(item: RequestSkillItem): number {
  return item.kind === 'concept' ? RELATION_CREDIT.group : 0;
}

/** The posting lists to read for one requested item, each with the credit its relation earns. */
export function itemPostingKeys(graph: ConceptGraph, item: RequestSkillItem): Array<readonly [string, number]> {
  if (item.kind === 'free') return [[`f:${item.key}`, 1]];
  const concept = item.concept;
  const keys: Array<readonly [string, number]> = [
    [`c:${concept}`, RELATION_CREDIT.same],
    [`n:${concept}`, RELATION_CREDIT.narrower],
  ];
  for (const ancestor of graph.ancestorsOf(concept)) keys.push([`c:${ancestor}`, RELATION_CREDIT.broader]);
  const parent = graph.parentOf(concept);
  if (parent !== NO_PARENT) keys.push([`s:${parent}`, RELATION_CREDIT.sibling]);
  return keys;
}
