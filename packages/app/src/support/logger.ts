/**
 * Structured logging: a message plus fields. Any logger with these four methods fits (pino's
 * `(obj, msg)` order differs: wrap it). The default writes JSON lines to stderr for warnings and
 * errors only, so that an application that configures nothing still sees failures.
 */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

function line(level: string, message: string, fields: Readonly<Record<string, unknown>> | undefined): string {
  return `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }, jsonSafe)}\n`;
}

/** bigint offsets and Error causes survive JSON.stringify. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export const stderrLogger: Logger = {
  debug() {},
  info() {},
  warn(message, fields) {
    process.stderr.write(line('warn', message, fields));
  },
  error(message, fields) {
    process.stderr.write(line('error', message, fields));
  },
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
