import type { RequestHandler } from 'express';
import { beginDatabaseTally, databaseOperationsPerUnit } from '../infra/db-metrics';
import { httpRequestDuration, registry } from '../infra/metrics';

/**
 * Times each request, and counts its database round trips, under its route template (`/v1/experts/:id`), never the raw
 * URL, to keep label sets small.
 */
export const measureRequests: RequestHandler = (req, res, next) => {
  const stop = httpRequestDuration.startTimer();
  const operations = beginDatabaseTally();
  res.on('finish', () => {
    const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    stop({ method: req.method, route, status: String(res.statusCode) });
    databaseOperationsPerUnit.observe({ unit: 'http', name: `${req.method} ${route}` }, operations.length);
  });
  next();
};

export const metricsEndpoint: RequestHandler = async (_req, res) => {
  res.type(registry.contentType).send(await registry.metrics());
};
