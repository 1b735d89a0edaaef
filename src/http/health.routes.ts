import { AppError } from '../errors';
import type { Logger } from '../logger';
import { sendProblem } from './problem';
import { markExpectedOutage } from './request-logging';
import type { RouteDefinition } from './route-table';

export type ReadinessChecks = Record<string, () => Promise<void>>;

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: () => Promise<void>): Promise<void> {
  return Promise.race([
    check(),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

const reasonOf = (result: PromiseSettledResult<void>): string =>
  result.status === 'rejected' ? String((result.reason as Error | undefined)?.message ?? result.reason).slice(0, 200) : 'ok';

/**
 * Logs readiness as a state: once at warn when the set of unavailable dependencies changes to a non-empty one (naming
 * them and why), once at info when all answer again. Probes that find nothing changed log nothing of their own.
 */
function readinessTransitions(logger: Logger) {
  let unavailable = '';
  return (failed: Array<[name: string, reason: string]>) => {
    const now = failed.map(([name]) => name).join(',');
    if (now === unavailable) return;
    if (failed.length > 0) logger.warn({ unavailable: Object.fromEntries(failed) }, `not ready: ${failed.map(([name]) => name).join(', ')} unavailable`);
    else logger.info({ previouslyUnavailable: unavailable.split(',') }, 'ready again: every dependency answers');
    unavailable = now;
  };
}

export function healthRoutes(checks: ReadinessChecks, logger: Logger): RouteDefinition[] {
  const transition = readinessTransitions(logger.child({ component: 'readiness' }));
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
          const failed = names.flatMap((name, i): Array<[string, string]> => (results[i]!.status === 'rejected' ? [[name, reasonOf(results[i]!)]] : []));
          transition(failed);
          if (failed.length === 0) {
            res.json({ status: 'ready', checks: status });
            return;
          }
          // A 503 here reports a state, already logged by the transition: not a fault of this request.
          markExpectedOutage(res);
          sendProblem(res, new AppError('not_ready', 'A dependency is unavailable', { checks: status }));
        },
      ],
    },
  ];
}
