import type { Request, Response } from 'express';
import { AppError } from '../errors';

export const etagOf = (revision: number): string => `"r${revision}"`;

export function setEtag(res: Response, revision: number): void {
  res.setHeader('ETag', etagOf(revision));
}

/** The revision a PATCH is based on: 428 without If-Match, 412 when it names no revision of ours. */
export function requiredRevision(req: Request): number {
  const header = req.get('If-Match');
  if (!header) throw new AppError('precondition_required', 'Send If-Match with the ETag you read');
  const match = /^(?:W\/)?"r(\d{1,15})"$/.exec(header.trim());
  if (!match) throw new AppError('precondition_failed', `If-Match ${header} does not match the current revision`);
  return Number(match[1]);
}
