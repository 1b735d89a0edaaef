import type { Request, Response } from 'express';
import type { MailLanguage } from '../domain/people';
import { acceptedLanguage } from './pages';

/**
 * The language to answer in, chosen from `Accept-Language` among the five the service writes (English otherwise),
 * announced as `Content-Language` (RFC 9110 §8.5), with `Vary: Accept-Language` since the answer depends on it.
 */
export function negotiateLanguage(req: Request, res: Response): MailLanguage {
  const language = acceptedLanguage(req);
  res.setHeader('Content-Language', language);
  res.vary('Accept-Language');
  return language;
}
