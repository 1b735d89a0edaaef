import type { RequestHandler } from 'express';

/**
 * `Cache-Control: no-store` (RFC 9111 §5.2.2.5) on everything behind authentication: those answers carry personal
 * data (names, e-mails, feedback) or operator data, and no browser, proxy or CDN may keep a copy.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
