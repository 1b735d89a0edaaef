import type { MessageKey, MessageValues } from './i18n/i18n';
/** Every failure the service reports, mapped once to an HTTP status. */
export const STATUS_BY_CODE = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  invalid_transition: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  precondition_required: 428,
  rate_limited: 429,
  too_many_open_requests: 429,
  internal: 500,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export interface FieldError {
  path: string;
  message: string;
}

/**
 * A problem's `detail` as a catalogue message (`problem.detail.*`, src/i18n/messages), so it is written in the
 * caller's language (issue 10 item 7); the English catalogue says what `message` says.
 */
export interface LocalizedDetail {
  key: Extract<MessageKey, `problem.detail.${string}`>;
  values?: MessageValues;
}

/** An expected failure: its message is safe to show to the caller. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [extension: string]: unknown } = {},
    readonly localized?: LocalizedDetail,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/** The resources a 404 names, each with its selector in the catalogue's `problem.detail.notFound`. */
const NOT_FOUND_SUBJECTS = { Expert: 'expert', Invitation: 'invitation', Request: 'request', Slot: 'slot', Webhook: 'webhook', 'API key': 'apiKey', Calendar: 'calendar' } as const;
export type NotFoundSubject = keyof typeof NOT_FOUND_SUBJECTS;

export const notFound = (what: NotFoundSubject): AppError =>
  new AppError('not_found', what === 'Calendar' ? 'Calendar not found (the consultation has not been scheduled)' : `${what} not found`, {}, { key: 'problem.detail.notFound', values: { what: NOT_FOUND_SUBJECTS[what] } });
