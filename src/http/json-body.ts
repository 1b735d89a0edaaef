import express, { type RequestHandler } from 'express';
import { AppError } from '../errors';

export const JSON_BODY_LIMIT = '100kb';

const parseJson = express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] });

/** Bodies must be JSON: a body of any other type is refused rather than ignored. */
export const jsonBody: RequestHandler = (req, res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    next(new AppError('unsupported_media_type', 'Send the body as application/json'));
    return;
  }
  parseJson(req, res, next);
};
