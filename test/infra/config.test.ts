import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'info', WORKERS: 'on' });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(path.isAbsolute(config.DATA_DIR)).toBe(true);
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '8080', MONGODB_URI: '' });
    expect(config.PORT).toBe(8080);
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['MONGODB_URI', 'http://db'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['WORKERS', 'maybe'],
    ['ADMIN_API_KEY', 'short'],
  ])('rejects a bad %s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('derives PUBLIC_BASE_URL from PORT by default and refuses anything but an http(s) URL without query, naming it', () => {
    expect(loadConfig({}).PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080' }).PUBLIC_BASE_URL).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://consult.example.org/' }).PUBLIC_BASE_URL).toBe('https://consult.example.org');
    for (const bad of ['ftp://consult.example.org', 'consult.example.org', 'javascript:alert(1)', 'https://consult.example.org/?a=1']) {
      expect(() => loadConfig({ PUBLIC_BASE_URL: bad })).toThrow(/PUBLIC_BASE_URL/);
    }
  });

  it('refuses production without SMTP_URL, naming it, unless MAIL=off', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(new ConfigError('Invalid configuration: SMTP_URL: is required in production (or set MAIL=off to send no mail)'));
    expect(loadConfig({ NODE_ENV: 'production', MAIL: 'off' }).MAIL).toBe('off');
    expect(loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtps://user:pass@mail.example.org' }).SMTP_URL).toBe('smtps://user:pass@mail.example.org');
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
  });

  it('gives mail its documented defaults and refuses a bad SMTP_URL or MAIL_FROM', () => {
    expect(loadConfig({})).toMatchObject({ MAIL: 'on', MAIL_FROM: 'South Baltic Consultations <no-reply@localhost>', MAIL_RETRY_BASE_MS: 30000, MAIL_MAX_ATTEMPTS: 12 });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' })).toThrow(/\bSMTP_URL\b/);
    expect(() => loadConfig({ MAIL_FROM: 'nobody' })).toThrow(/\bMAIL_FROM\b/);
    expect(() => loadConfig({ MAIL_FROM: 'a@b.example\r\nBcc: c@d.example' })).toThrow(/\bMAIL_FROM\b/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});

describe('the service process', () => {
  it('exits non-zero naming PORT when PORT=abc', () => {
    const root = path.resolve(__dirname, '..', '..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain('PORT');
  });

  it('exits non-zero naming SMTP_URL in production without one', () => {
    const root = path.resolve(__dirname, '..', '..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SMTP_URL: is required in production');
  });
});
