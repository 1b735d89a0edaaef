import express, { type RequestHandler } from 'express';
import { AppError } from '../errors';

export const JSON_BODY_LIMIT = '100kb';

const parseJson = express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] });

/** A UTF-16 surrogate without its partner: JSON's \uD800 escapes allow it, but it is not text and BSON would alter it. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first key or string in `body` that is not well-formed Unicode; iterative, as bodies may nest deeply. */
function illFormedStringPath(body: unknown): string | undefined {
  const pending: Array<[value: unknown, path: string]> = [[body, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (UNPAIRED_SURROGATE.test(value)) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const itemPath = path ? `${path}.${key}` : key;
        if (UNPAIRED_SURROGATE.test(key)) return itemPath;
        pending.push([item, itemPath]);
      }
    }
  }
  return undefined;
}

/** Bodies must be JSON: a body of any other type is refused rather than ignored, and so is text that is not Unicode. */
export const jsonBody: RequestHandler = (req, res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    next(new AppError('unsupported_media_type', 'Send the body as application/json', {}, { key: 'problem.detail.sendJson' }));
    return;
  }
  parseJson(req, res, (error?: unknown) => {
    if (error) return next(error);
    const path = illFormedStringPath(req.body);
    if (path === undefined) return next();
    next(new AppError('validation_failed', 'The body contains text that is not valid Unicode', { errors: [{ path, message: 'contains an unpaired UTF-16 surrogate' }] }));
  });
};
