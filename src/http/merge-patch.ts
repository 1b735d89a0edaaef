/** A JSON merge patch as a database change: `null` clears a field, a value sets it, an absent field stays. */
export function splitPatch<Fields>(patch: Record<string, unknown>): { set: Partial<Fields>; unset: string[] } {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) unset.push(field);
    else if (value !== undefined) set[field] = value;
  }
  return { set: set as Partial<Fields>, unset };
}
