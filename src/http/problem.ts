import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import mongoose from 'mongoose';
import { DomainError } from '../domain/lifecycle';
import { AppError, type ErrorCode } from '../errors';
import { isDuplicateKeyError } from '../infra/database';
import { echoed, redactUrl, scrubEchoes } from './redact';

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Your request is not valid',
  malformed_json: 'The body is not valid JSON',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  duplicate: 'Already exists',
  invalid_transition: 'Not possible in the current stage',
  precondition_failed: 'The resource has changed',
  payload_too_large: 'The body is too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Cannot process this request',
  precondition_required: 'If-Match header required',
  rate_limited: 'Too many requests',
  too_many_open_requests: 'Too many open requests',
  internal: 'Internal server error',
  not_ready: 'Not ready',
};

/** Writes `error` as RFC 9457 problem+json. Problems are never stored by caches (they may name the caller's data). */
export function sendProblem(res: Response, error: AppError): void {
  const { errors, ...extensions } = error.details;
  res
    .status(error.status)
    .type('application/problem+json')
    .set('Cache-Control', 'no-store')
    .json({
      ...extensions,
      type: `/problems/${error.code.replaceAll('_', '-')}`,
      title: TITLES[error.code],
      status: error.status,
      detail: scrubEchoes(error.message, res.req),
      instance: redactUrl(res.req.originalUrl),
      code: error.code,
      requestId: res.req.id,
      ...(errors ? { errors } : {}),
    });
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
}

/** Turns anything thrown into an AppError; unexpected errors become a bare 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof DomainError) {
    return new AppError(error.code === 'invalid_transition' ? 'invalid_transition' : 'forbidden', error.message, error.details);
  }
  // The router's answer to a path such as /v1/experts/%ZZ.
  if (error instanceof URIError) {
    return new AppError('validation_failed', 'The path is not valid percent-encoding', { errors: [{ path: 'path', message: error.message }] });
  }
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'The request body could not be parsed as JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', `The request body exceeds ${parserError.limit ?? ''} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Unsupported body encoding or charset');
  }
  // The body parser's other refusals: a body that does not inflate as its Content-Encoding says, or that ends
  // before its Content-Length.
  if (parserError?.status === 400 && parserError.expose) {
    return new AppError('malformed_json', 'The request body could not be read: check its Content-Encoding and Content-Length');
  }
  if (isDuplicateKeyError(error)) {
    return new AppError('duplicate', 'A record with the same unique value already exists');
  }
  if (error instanceof mongoose.Error.CastError) {
    return new AppError('validation_failed', `Invalid value for ${error.path}`, { errors: [{ path: error.path, message: 'invalid value' }] });
  }
  return new AppError('internal', 'An unexpected error occurred; it has been logged');
}

export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.code === 'internal') req.log.error({ err: error }, 'unhandled error');
  else req.log.info({ code: appError.code, status: appError.status }, scrubEchoes(appError.message, req));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendProblem(res, appError);
};

export const notFoundHandler: RequestHandler = (req) => {
  throw new AppError('not_found', `No route for ${req.method} ${echoed(req.path)}`);
};

