import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Logger } from '../logger';
import { redactUrl } from './redact';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts the caller's X-Request-Id when it is safe to echo, else makes one; always echoes it back. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Marks a 5xx answer as a reported state rather than a fault (a readiness probe's 503 while a dependency is down):
 * its request log line is then debug-level and carries no error object, since whoever reports the state logs it.
 */
export function markExpectedOutage(res: Response): void {
  res.locals.expectedOutage = true;
}

const isExpectedOutage = (res: ServerResponse): boolean => (res as Partial<Response>).locals?.expectedOutage === true;

export function requestLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: requestId,
    customLogLevel: (_req, res, error) => {
      if (isExpectedOutage(res) && !error) return 'debug';
      return error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug';
    },
    // pino-http attaches a synthetic error (with a stack trace) to every 5xx; an expected outage is not one.
    customErrorObject: (_req, res, _error, fields: Record<string, unknown>) => {
      if (!isExpectedOutage(res)) return fields;
      const { err: _synthetic, ...rest } = fields;
      return rest;
    },
    customErrorMessage: (_req, res) => (isExpectedOutage(res) ? 'request completed' : 'request errored'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
