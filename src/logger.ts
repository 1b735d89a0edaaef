import pino from 'pino';

/** Paths never written to logs: credentials and personal data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'contact',
  '*.contact',
  '*.email',
  '*.emailAsGiven',
  '*.bio',
  '*.key',
  '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'consult' } }, destination);
}

export type Logger = pino.Logger;
