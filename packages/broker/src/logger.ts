/**
 * The logger the broker's modules take: pino's call shape (`logger.info(obj, msg)` or
 * `logger.info(msg)`), so that tests can pass a silent or capturing logger.
 */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

export interface Logger {
  readonly error: LogFn;
  readonly warn: LogFn;
  readonly info: LogFn;
  readonly debug: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
