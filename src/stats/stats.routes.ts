import { allow } from '../http/auth';
import type { RouteDefinition } from '../http/route-table';
import { computeStats } from './stats.service';

export function statsRoutes(): RouteDefinition[] {
  return [{ method: 'get', path: '/v1/stats', handlers: [allow('admin'), async (_req, res) => void res.json(await computeStats())] }];
}
