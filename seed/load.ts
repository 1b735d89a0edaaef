// `npm run seed`: loads the sample experts and requests through the service layer (validation, indexes, matching
// jobs apply), on the embedded database (the running service's, if one runs) or MONGODB_URI. Idempotent: experts are
// known by e-mail and requests by organisation and title, so a second run creates nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { composeServices } from '../src/composition';
import { loadConfig } from '../src/config';
import { emailLookupKey } from '../src/experts/email-address';
import { expertRepository } from '../src/experts/expert.repository';
import { expertInputSchema } from '../src/experts/expert.schemas';
import type { Principal } from '../src/http/principal';
import { createInvalidationBus } from '../src/infra/invalidation-bus';
import { createQueues } from '../src/jobs/queues';
import { createLogger } from '../src/logger';
import { requestRepository } from '../src/requests/request.repository';
import { requestInputSchema } from '../src/requests/request.schemas';
import { startRuntime } from '../src/runtime';

interface SeedOrganization {
  key: string;
  name: string;
  type: string;
  country: string;
  website?: string;
}

const SEED_OWNER: Principal = { role: 'admin', keyId: 'seed', ownerId: 'seed' };
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(__dirname, file), 'utf8')) as T;

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'fatal');
  const runtime = await startRuntime(config, logger);
  const queues = createQueues(config, runtime.redisUrl, logger);
  const bus = createInvalidationBus({ redisUrl: runtime.redisUrl, namespace: `${config.QUEUE_PREFIX}:${config.NODE_ENV}`, logger });
  const services = composeServices({ config, logger, bus, queues });

  const experts = read<Array<Record<string, unknown> & { key: string }>>('experts.json');
  const organizations = new Map(read<SeedOrganization[]>('organizations.json').map((organization) => [organization.key, organization]));
  const requests = read<Array<Record<string, unknown> & { key: string; organization: string }>>('requests.json');

  const bar = process.stdout.isTTY ? new SingleBar({ format: 'seeding [{bar}] {value}/{total} {item}' }) : undefined;
  bar?.start(experts.length + requests.length, 0, { item: '' });
  const counts = { expertsNew: 0, expertsKept: 0, requestsNew: 0, requestsKept: 0 };

  const knownEmails = new Set<string>();
  for await (const expert of expertRepository.all()) knownEmails.add(emailLookupKey(expert.email));
  for (const { key, ...expert } of experts) {
    const input = expertInputSchema.parse(expert);
    if (knownEmails.has(emailLookupKey(input.email))) counts.expertsKept += 1;
    else {
      await services.experts.create(SEED_OWNER, input);
      counts.expertsNew += 1;
    }
    bar?.increment({ item: key });
  }

  const existing = new Set<string>();
  for await (const entry of requestRepository.indexed()) {
    const request = entry.ownerId === SEED_OWNER.ownerId ? await requestRepository.findById(entry.id) : undefined;
    if (request) existing.add(`${request.organization.name}\n${request.title}`);
  }
  for (const { key, organization: organizationKey, ...request } of requests) {
    const organization = organizations.get(organizationKey);
    if (!organization) throw new Error(`${key} names an unknown organisation ${organizationKey}`);
    const input = requestInputSchema.parse({ ...request, organization: { name: organization.name, type: organization.type, country: organization.country, ...(organization.website ? { website: organization.website } : {}) } });
    if (existing.has(`${input.organization.name}\n${input.title}`)) counts.requestsKept += 1;
    else {
      await services.requests.submit(SEED_OWNER, input);
      counts.requestsNew += 1;
    }
    bar?.increment({ item: key });
  }
  bar?.stop();

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `seed: ${experts.length} experts (${counts.expertsNew} new, ${counts.expertsKept} already there), ` +
      `${requests.length} requests (${counts.requestsNew} new, ${counts.requestsKept} already there) in ${seconds} s\n`,
  );
  await queues.close();
  await bus.close();
  await runtime.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
