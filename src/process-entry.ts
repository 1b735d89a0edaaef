import { ConfigError, loadConfig, type Config } from './config';
import { MissingToolchainError } from './infra/ferretdb-binary';
import { createLogger, type Logger } from './logger';

/** Starts a process kind (API or worker): config first, then `start`; SIGTERM/SIGINT run its stop once, a second signal exits at once. */
export function runProcess(start: (config: Config, logger: Logger) => Promise<() => Promise<void>>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);

  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void (stop?.() ?? Promise.resolve()).then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  start(config, logger).then(
    (stopFn) => {
      stop = stopFn;
    },
    (error: unknown) => {
      logger.fatal(error instanceof MissingToolchainError ? error.message : `start-up failed: ${String(error)}`);
      process.exit(1);
    },
  );
}
