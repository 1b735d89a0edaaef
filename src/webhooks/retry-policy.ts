/** What an attempt's answer means: 2xx ends the delivery, 410 Gone also disables the endpoint, anything else may be retried. */
export type AttemptVerdict = 'delivered' | 'gone' | 'failed';

export function verdictOf(statusCode: number | undefined): AttemptVerdict {
  if (statusCode === undefined) return 'failed';
  if (statusCode >= 200 && statusCode < 300) return 'delivered';
  return statusCode === 410 ? 'gone' : 'failed';
}

/** After attempt n fails, attempt n + 1 waits base · 4^(n−1): with 20 s and 8 attempts the last comes about 30 hours after the first. */
export const retryDelayMs = (failedAttempt: number, baseMs: number): number => baseMs * 4 ** (failedAttempt - 1);
