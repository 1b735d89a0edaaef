import { AppError } from '../errors';
import type { RouteDefinition } from './route-table';

export type ReadinessChecks = Record<string, () => Promise<void>>;

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: () => Promise<void>): Promise<void> {
  return Promise.race([
    check(),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

export function healthRoutes(checks: ReadinessChecks): RouteDefinition[] {
  return [
    { method: 'get', path: '/healthz', handlers: [(_req, res) => void res.json({ status: 'ok' })] },
    {
      method: 'get',
      path: '/readyz',
      handlers: [
        async (_req, res) => {
          const names = Object.keys(checks);
          const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!)));
          const status = Object.fromEntries(names.map((name, i) => [name, results[i]!.status === 'fulfilled' ? 'ok' : 'unavailable']));
          if (results.some((result) => result.status === 'rejected')) {
            throw new AppError('not_ready', 'A dependency is unavailable', { checks: status });
          }
          res.json({ status: 'ready', checks: status });
        },
      ],
    },
  ];
}
