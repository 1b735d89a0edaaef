import { bearer, type Auth } from './scenario';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startTestContext, type TestContext } from './test-context';

/** A service whose mail goes to a real SMTP sink. */
export interface MailedService {
  context: TestContext;
  sink: SmtpSink;
  admin: Auth;
}

/**
 * Registers beforeAll/afterAll for a MailedService (mail on, a retry 50 ms after a failure, no auto-invite, workers
 * on unless `workers: false`), with `overrides` on top; its fields are set once beforeAll has run.
 */
export function useMailedService(overrides: Record<string, string> = {}, options: { workers?: boolean } = {}): MailedService {
  const service = {} as MailedService;
  beforeAll(async () => {
    service.sink = await startSmtpSink();
    service.context = await startTestContext(
      { MAIL: 'on', SMTP_URL: service.sink.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off', ...overrides },
      { workers: options.workers ?? true },
    );
    service.admin = bearer(service.context.adminKey);
  });
  afterAll(async () => {
    await service.context.close();
    await service.sink.stop();
  });
  return service;
}
