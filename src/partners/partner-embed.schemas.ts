import { z } from 'zod';
import type { components } from '../generated/openapi';

/** How many origins one partner may register: a few sites (production, staging, a language version), not a list of every customer. */
export const MAX_EMBED_ORIGINS = 20;

/** A DNS name or IPv4 address in lower case: no wildcard, nothing a CSP source list would read as more than one source. */
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** Hosts of a developer's own machine, whose http:// origins are allowed outside production. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Why `value` is not an origin a partner may register, or undefined when it is one: `https://host[:port]` exactly as
 * the browser serialises it (RFC 6454 §6.2: lower case, no default port, no path, query, fragment or user), and
 * `http://localhost[:port]` or `http://127.0.0.1[:port]` only when `allowLocalHttp` (outside production).
 */
export function originProblem(value: string, allowLocalHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an origin such as https://www.example.org';
  }
  if (url.protocol === 'http:' && !(allowLocalHttp && LOCAL_HOSTS.has(url.hostname))) return 'must use https://';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https://';
  if (!HOST.test(url.hostname)) return 'must name one host, without wildcards';
  if (url.origin !== value) return 'must be only scheme, host and port, as in https://www.example.org (no path, no trailing slash, lower case)';
  return undefined;
}

/** The body of PUT /v1/partners/{ownerId}/embed: the list replaces the one kept (an empty list stops the embedding). */
export const partnerEmbedInputSchema = (options: { allowLocalHttp: boolean }) =>
  z
    .strictObject({
      origins: z
        .array(z.string().max(300))
        .max(MAX_EMBED_ORIGINS)
        .superRefine((origins, context) => {
          origins.forEach((origin, index) => {
            const problem = originProblem(origin, options.allowLocalHttp);
            if (problem) context.addIssue({ code: 'custom', path: [index], message: problem });
            else if (origins.indexOf(origin) !== index) context.addIssue({ code: 'custom', path: [index], message: 'is listed twice' });
          });
        }),
    }) satisfies z.ZodType<components['schemas']['PartnerEmbedInput']>;

export type PartnerEmbedInput = z.output<ReturnType<typeof partnerEmbedInputSchema>>;
