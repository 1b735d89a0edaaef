import type { Response } from 'express';

export const etagOf = (revision: number): string => `"r${revision}"`;

export function setEtag(res: Response, revision: number): void {
  res.setHeader('ETag', etagOf(revision));
}
