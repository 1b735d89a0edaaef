import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import mongoose from 'mongoose';
import { DomainError } from '../domain/lifecycle';
import { AppError } from '../errors';
import { translatorFor } from '../i18n/i18n';
import { negotiateLanguage } from './content-language';
import { isDuplicateKeyError } from '../infra/database';
import { echoed, redactUrl, scrubEchoes } from './redact';

/**
 * Writes `error` as RFC 9457 problem+json. `title`, and `detail` where the error carries a catalogue message, are in
 * the language `Accept-Language` chooses among the five (English otherwise); `code`, `type` and `errors[]` stay the
 * same in every language, for programs. Problems are never stored by caches (they may name the caller's data).
 */
export function sendProblem(res: Response, error: AppError): void {
  const { errors, ...extensions } = error.details;
  const t = translatorFor(negotiateLanguage(res.req, res));
  res
    .status(error.status)
    .type('application/problem+json')
    .set('Cache-Control', 'no-store')
    .json({
      ...extensions,
      type: `/problems/${error.code.replaceAll('_', '-')}`,
      title: t(`problem.title.${error.code}`),
      status: error.status,
      detail: scrubEchoes(error.localized ? t(error.localized.key, error.localized.values) : error.message, res.req),
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
      return new AppError('malformed_json', 'The request body could not be parsed as JSON', {}, { key: 'problem.detail.notJson' });
    case 'entity.too.large':
      return new AppError('payload_too_large', `The request body exceeds ${parserError.limit ?? ''} bytes`, {}, { key: 'problem.detail.tooLarge', values: { limit: parserError.limit ?? 0 } });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Unsupported body encoding or charset', {}, { key: 'problem.detail.encoding' });
  }
  // The body parser's other refusals: a body that does not inflate as its Content-Encoding says, or that ends
  // before its Content-Length.
  if (parserError?.status === 400 && parserError.expose) {
    return new AppError('malformed_json', 'The request body could not be read: check its Content-Encoding and Content-Length', {}, { key: 'problem.detail.unreadable' });
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
  const path = echoed(req.path);
  throw new AppError('not_found', `No route for ${req.method} ${path}`, {}, { key: 'problem.detail.noRoute', values: { method: req.method, path } });
};

