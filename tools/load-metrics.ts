// Database round trips as a running service counts them (`db_operations_per_unit`, per HTTP route and per job), read
// from its /metrics before and after a phase of `npm run load`: where a scenario's database work goes.

/** Round trips (`sum`) and units (`count`: HTTP requests or jobs) per `<unit> <name>`, e.g. `job mail-delivery`. */
export type RoundTrips = Map<string, { sum: number; count: number }>;

export async function roundTrips(base: string, adminKey: string): Promise<RoundTrips> {
  const text = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${adminKey}` } })).text();
  const totals: RoundTrips = new Map();
  for (const [, part, labels, value] of text.matchAll(/^db_operations_per_unit_(sum|count)\{([^}]*)\} (\S+)$/gm)) {
    const unit = /unit="([^"]*)"/.exec(labels!)?.[1];
    const name = /name="([^"]*)"/.exec(labels!)?.[1];
    const key = `${unit} ${name}`;
    const entry = totals.get(key) ?? { sum: 0, count: 0 };
    entry[part as 'sum' | 'count'] = Number(value);
    totals.set(key, entry);
  }
  return totals;
}

/** What happened between two readings, for the keys `select` picks: round trips and units, summed over those keys. */
export function between(before: RoundTrips, after: RoundTrips, select: (key: string) => boolean): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const [key, entry] of after) {
    if (!select(key)) continue;
    sum += entry.sum - (before.get(key)?.sum ?? 0);
    count += entry.count - (before.get(key)?.count ?? 0);
  }
  return { sum, count };
}
