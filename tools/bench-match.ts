// Ranking benchmark on synthetic experts generated from the seed taxonomy and gazetteer.
// Usage: npm run bench:match   (node --expose-gc lets it measure memory after a collection)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  MatchingEngine, parseGazetteer, parseTaxonomy, type ExpertForMatching, type Gazetteer, type RequestForMatching,
  type Taxonomy, type WorkMode,
} from '../src/domain/matching';
import { seededRandom } from './synthetic-data';

const SIZES = [1_000, 10_000, 100_000];
const REQUEST_COUNT = 50;
const LIMIT = 10;
const LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv', 'da'] as const;
type Language = (typeof LANGUAGES)[number];

const FILLER: Readonly<Record<Language, readonly string[]>> = {
  en: ['experience', 'projects', 'clients', 'team', 'years', 'region', 'public', 'institutions', 'local', 'international', 'work', 'studio'],
  pl: ['doświadczenie', 'projekty', 'klienci', 'zespół', 'lata', 'region', 'instytucje', 'lokalne', 'współpraca', 'pracownia', 'miasto'],
  de: ['Erfahrung', 'Projekte', 'Kunden', 'Team', 'Jahre', 'Region', 'Institutionen', 'lokale', 'Zusammenarbeit', 'Büro', 'Stadt'],
  lt: ['patirtis', 'projektai', 'klientai', 'komanda', 'metai', 'regionas', 'institucijos', 'vietos', 'bendradarbiavimas', 'studija'],
  sv: ['erfarenhet', 'projekt', 'kunder', 'team', 'år', 'regionen', 'institutioner', 'lokala', 'samarbete', 'studio', 'staden'],
  da: ['erfaring', 'projekter', 'kunder', 'team', 'år', 'regionen', 'institutioner', 'lokale', 'samarbejde', 'studie', 'byen'],
};

class Generator {
  constructor(private readonly taxonomy: Taxonomy, private readonly gazetteer: Gazetteer, private readonly next: () => number) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  label(conceptIndex: number, language: Language): string {
    const labels = this.taxonomy.concepts[conceptIndex]?.labels;
    return this.pick(labels?.[language] ?? labels?.en ?? ['design']);
  }

  concepts(count: number): number[] {
    return Array.from({ length: count }, () => this.int(0, this.taxonomy.concepts.length - 1));
  }

  languages(count: number): Language[] {
    return [...new Set(Array.from({ length: count }, () => this.pick(LANGUAGES)))];
  }

  sentence(concepts: readonly number[], language: Language, words: number): string {
    return Array.from({ length: words }, () => (this.next() < 0.3 ? this.label(this.pick(concepts), language) : this.pick(FILLER[language]))).join(' ');
  }

  place(): ExpertForMatching['location'] {
    const place = this.pick(this.gazetteer.places);
    const roll = this.next();
    if (roll < 0.6) return { country: place.country, city: place.name, lat: place.lat, lon: place.lon };
    return roll < 0.9 ? { country: place.country, city: place.name } : { country: place.country };
  }

  expert(id: string): ExpertForMatching {
    const concepts = this.concepts(this.int(3, 8));
    const languages = this.languages(this.int(1, 3));
    const main = languages[0] ?? 'en';
    const capacity = this.int(1, 5);
    const modes: WorkMode[][] = [['online'], ['onsite'], ['online', 'onsite']];
    return {
      id,
      name: `Expert ${id}`,
      headline: `${this.label(concepts[0] ?? 0, main)} ${this.pick(FILLER[main])} ${this.label(concepts[1] ?? 0, main)}`,
      bio: `${this.sentence(concepts, main, 14)}. ${this.sentence(concepts, this.pick(languages), 12)}.`,
      skills: concepts.map((concept) => this.label(concept, this.pick(languages))),
      languages,
      location: this.place(),
      modes: this.pick(modes),
      capacity,
      activeConsultations: this.int(0, capacity),
      pendingInvitations: this.int(0, 2),
      status: this.next() < 0.08 ? 'paused' : 'active',
    };
  }

  request(id: string): RequestForMatching {
    const concepts = this.concepts(this.int(1, 3));
    const languages = this.languages(this.int(1, 2));
    const main = languages[0] ?? 'en';
    const location = this.place();
    return {
      id,
      title: `${this.label(concepts[0] ?? 0, main)} ${this.pick(FILLER[main])}`,
      description: `${this.sentence(concepts, main, 20)}. ${this.sentence(concepts, main, 16)}.`,
      skills: this.next() < 0.7 ? concepts.map((concept) => this.label(concept, main)) : [],
      languages,
      location,
      mode: this.pick(['online', 'onsite', 'any'] as const),
      organizationCountry: location.country,
    };
  }
}

const percentile = (values: readonly number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
};
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

interface SizeFigures {
  experts: number; buildSeconds: number; indexedP50Ms: number; indexedP95Ms: number; exhaustiveP50Ms: number;
  exhaustiveP95Ms: number; disagreements: number; rssMb: number; heapUsedMb: number;
}

function measure(size: number, taxonomy: Taxonomy, gazetteer: Gazetteer): SizeFigures {
  const generator = new Generator(taxonomy, gazetteer, seededRandom(size));
  const engine = new MatchingEngine({ taxonomy, gazetteer });
  const buildStart = performance.now();
  for (let i = 0; i < size; i += 1) engine.upsertExpert(generator.expert(`x${String(i).padStart(6, '0')}`));
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const requests = Array.from({ length: REQUEST_COUNT }, (_, i) => generator.request(`r${i}`));
  // One untimed pass warms the JIT and the analysis caches, so both paths are timed in the steady state.
  requests.forEach((request) => engine.rank(request, { limit: LIMIT }));

  const indexed: number[] = [];
  const exhaustive: number[] = [];
  let disagreements = 0;
  for (const request of requests) {
    let start = performance.now();
    const fast = engine.rank(request, { limit: LIMIT });
    indexed.push(performance.now() - start);
    start = performance.now();
    const reference = engine.rankExhaustive(request, { limit: LIMIT });
    exhaustive.push(performance.now() - start);
    const key = (list: typeof fast) => list.map((candidate) => `${candidate.expertId}:${candidate.score}`).join();
    if (key(fast) !== key(reference)) disagreements += 1;
  }
  collectGarbage();
  const memory = process.memoryUsage();
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    experts: engine.size,
    buildSeconds: round(buildSeconds),
    indexedP50Ms: round(percentile(indexed, 0.5)),
    indexedP95Ms: round(percentile(indexed, 0.95)),
    exhaustiveP50Ms: round(percentile(exhaustive, 0.5)),
    exhaustiveP95Ms: round(percentile(exhaustive, 0.95)),
    disagreements,
    rssMb: megabytes(memory.rss),
    heapUsedMb: megabytes(memory.heapUsed),
  };
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
  const taxonomy = parseTaxonomy(readJson('seed/taxonomy/skills.json'));
  const gazetteer = parseGazetteer(readJson('seed/geo/places.json'));
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc for memory after collection)');
  console.log(`${REQUEST_COUNT} requests, top ${LIMIT}, ${taxonomy.concepts.length} concepts, ${gazetteer.places.length} places\n`);
  console.log('experts   build s  indexed p50/p95 ms  exhaustive p50/p95 ms  disagreements  rss MB  heap MB');
  const results: SizeFigures[] = [];
  for (const size of SIZES) {
    const figures = measure(size, taxonomy, gazetteer);
    results.push(figures);
    collectGarbage();
    console.log(
      `${String(figures.experts).padEnd(10)}${figures.buildSeconds.toFixed(2).padStart(7)}` +
        `${`${figures.indexedP50Ms.toFixed(2)} / ${figures.indexedP95Ms.toFixed(2)}`.padStart(20)}` +
        `${`${figures.exhaustiveP50Ms.toFixed(2)} / ${figures.exhaustiveP95Ms.toFixed(2)}`.padStart(23)}` +
        `${String(figures.disagreements).padStart(15)}${String(figures.rssMb).padStart(8)}${String(figures.heapUsedMb).padStart(9)}`,
    );
  }
  console.log(JSON.stringify({ requests: REQUEST_COUNT, limit: LIMIT, results }));
}

main();
