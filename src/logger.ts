import pino from 'pino';

/** Paths never written to logs: credentials and personal data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.email',
  '*.bio',
  '*.key',
  '*.secret',
];

export function createLogger(level: string): pino.Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'consult' } });
}

export type Logger = pino.Logger;
