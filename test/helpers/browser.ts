import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AxeResults, Result as AxeViolation } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startTestContext, type TestContext } from './test-context';

/** Debian's Chromium (apt package `chromium`; .ci/run installs it): Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (git-ignored): `test-output/screenshots/<test file>/<name>.png`. */
export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

/**
 * Headless, with nothing that reaches out on its own (updates, sync, field trials) or needs a GPU. `--no-sandbox`:
 * CI runs as root, where Chromium's sandbox refuses to start. Playwright gives each launch a fresh temporary
 * user-data-dir and deletes it on close, so no profile is shared between runs.
 */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserApp {
  /** The real app (database, Redis, queues with workers) behind `baseUrl`. */
  context: TestContext;
  /** `http://127.0.0.1:<port>`, also the app's PUBLIC_BASE_URL, so links in mails lead to it. */
  baseUrl: string;
  browser: Browser;
  /** A page in a new browser context (no cookies or cache from other tests), closed after the test. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * For one test file: the app listening on 127.0.0.1:0 and one Chromium, started before the file's tests and stopped
 * after them; every browser context a test opens is closed after that test. `env` is read in beforeAll, so it may
 * use values (an SMTP sink's URL) that an earlier beforeAll of the file sets.
 */
export function useBrowserApp(env: () => Record<string, string>, options: { workers?: boolean } = {}): BrowserApp {
  let server: Server | undefined;
  let state: Omit<BrowserApp, 'newPage'> | undefined;
  const contexts: BrowserContext[] = [];
  const ready = () => {
    if (!state) throw new Error('useBrowserApp: the app is not started (used outside a test?)');
    return state;
  };

  beforeAll(async () => {
    await rm(screenshotFolder(), { recursive: true, force: true });
    // The port must be known before the config is (PUBLIC_BASE_URL), so the server listens first and gets the app after.
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [context, browser] = await Promise.all([
      startTestContext({ ...env(), PUBLIC_BASE_URL: baseUrl }, { workers: options.workers }),
      chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS }),
    ]);
    server.on('request', context.app);
    state = { context, baseUrl, browser };
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await state?.browser.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await state?.context.close();
  });

  return {
    get context() {
      return ready().context;
    },
    get baseUrl() {
      return ready().baseUrl;
    },
    get browser() {
      return ready().browser;
    },
    async newPage(contextOptions = {}) {
      const context = await ready().browser.newContext({ baseURL: ready().baseUrl, ...contextOptions });
      contexts.push(context);
      const page = await context.newPage();
      if (contextOptions.javaScriptEnabled === false) scriptless.add(page);
      return page;
    },
  };
}

function screenshotFolder(): string {
  const testPath = expect.getState().testPath ?? 'unknown';
  return path.join(SCREENSHOT_DIR, path.basename(testPath).replace(/\.test\.ts$/, ''));
}

/** Writes the whole page as `<SCREENSHOT_DIR>/<test file>/<name>.png`; the path written. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(screenshotFolder(), `${name}.png`);
  await mkdir(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

let axeSource: string | undefined;

/** Pages opened with JavaScript disabled: axe cannot run in them (their timers never fire), so it audits a copy. */
const scriptless = new WeakSet<Page>();

/**
 * Runs axe-core's default rules (WCAG 2.x A and AA, which issue 11 asks for, and its best practices) in the page and
 * fails, listing each rule, its impact and its elements, when it finds a serious or critical violation. The source
 * goes in through the DevTools protocol (page.evaluate), which the page's CSP does not govern, so the app's CSP stays
 * as strict as in production. A page without JavaScript is audited as a copy of its document at the same URL (so its
 * stylesheet loads as before) in a context with JavaScript.
 */
export async function expectAccessible(page: Page): Promise<void> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!scriptless.has(page)) return audit(page, page.url());
  const html = await page.content();
  const copy = await auditPageOf(page.context().browser()!);
  await copy.unrouteAll();
  await copy.route(page.url(), (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await copy.goto(page.url());
  await audit(copy, page.url());
}

/** One page with JavaScript per browser for auditing copies of scriptless pages (a context per audit cost seconds each). */
const auditPages = new WeakMap<Browser, Promise<Page>>();
function auditPageOf(browser: Browser): Promise<Page> {
  let page = auditPages.get(browser);
  if (!page) auditPages.set(browser, (page = browser.newContext().then((context) => context.newPage())));
  return page;
}

async function audit(page: Page, url: string): Promise<void> {
  await page.evaluate(axeSource!);
  const results = await page.evaluate(() => (globalThis as unknown as { axe: { run(options: object): Promise<AxeResults> } }).axe.run({ resultTypes: ['violations'] }));
  const blocking = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (blocking.length > 0) throw new Error(`axe found ${blocking.length} serious or critical violation(s) on ${url}:\n${blocking.map(describeViolation).join('\n')}`);
}

const describeViolation = (violation: AxeViolation): string =>
  `- ${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`).join('\n')}`;

export interface MailedBrowserApp extends BrowserApp {
  /** The real SMTP server the app's mail goes to. */
  readonly sink: SmtpSink;
}

/**
 * useBrowserApp with mail on to a real SMTP sink started before it (a retry 50 ms after a failure, no auto-invite,
 * workers on), the sink stopped after the app.
 */
export function useMailedBrowserApp(): MailedBrowserApp {
  let sink: SmtpSink | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  const app = useBrowserApp(() => ({ MAIL: 'on', SMTP_URL: sink!.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off' }), { workers: true });
  afterAll(() => sink?.stop());
  return Object.defineProperty(app, 'sink', {
    get: () => {
      if (!sink) throw new Error('useMailedBrowserApp: the sink is not started (used outside a test?)');
      return sink;
    },
  }) as MailedBrowserApp;
}

