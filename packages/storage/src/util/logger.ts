/**
 * The logging surface storage needs. The broker passes a pino logger (whose methods accept a
 * message string); tests pass nothing and get silence.
 */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

export const noopLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
};

/** Binds `logger` so that every message carries `prefix` (for example `[Log partition=t-0]`). */
export function prefixedLogger(logger: Logger, prefix: string): Logger {
  return {
    info: (msg) => logger.info(`${prefix} ${msg}`),
    warn: (msg) => logger.warn(`${prefix} ${msg}`),
    error: (msg) => logger.error(`${prefix} ${msg}`),
    debug: (msg) => logger.debug(`${prefix} ${msg}`),
  };
}
