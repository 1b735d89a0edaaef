import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, type FieldError } from '../errors';

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'unknown field' }));
    }
    return [{ path: path || '(root)', message: issue.message }];
  });
}

/** Parses untrusted input with a strict schema; every problem is reported at once as a 400. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, where: 'body' | 'query' | 'path' | 'header'): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw new AppError('validation_failed', `Invalid ${where}: ${errors.length} problem${errors.length > 1 ? 's' : ''}`, { errors }, { key: 'problem.detail.invalidInput', values: { where, count: errors.length } });
}

/** For operations that take no body: nothing or `{}` passes; anything else is refused rather than silently ignored. */
export const noBody: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0)) {
    next();
    return;
  }
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
  const errors = fields.length > 0 ? fields.map((path) => ({ path, message: 'unknown field' })) : [{ path: '(root)', message: 'this operation takes no body' }];
  next(new AppError('validation_failed', 'This operation takes no body', { errors }, { key: 'problem.detail.noBody' }));
};
