/**
 * Typed configuration keys in Kafka's style: a name, a type, a default, and validation. Used for
 * broker configs (`server.properties`, dynamic broker configs) and topic configs alike, so that
 * parsing, DescribeConfigs and the error messages are the same everywhere.
 */
export type ConfigType = 'boolean' | 'short' | 'int' | 'long' | 'double' | 'string' | 'list' | 'password' | 'class';

export type ConfigValue = boolean | number | string | readonly string[] | null;

export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  /** `null` means "no default" (the key is optional and unset). */
  readonly defaultValue: ConfigValue;
  readonly validate?: (value: ConfigValue) => string | undefined;
  readonly doc?: string;
  readonly sensitive?: boolean;
  /** Whether AlterConfigs may change it at runtime (Kafka's dynamic update modes). */
  readonly dynamic?: 'per-broker' | 'cluster-wide';
}

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Parses a textual value for `key`, throwing a ConfigError that names the key and the value. */
export function parseConfigValue(key: ConfigKey, raw: string): ConfigValue {
  const text = raw.trim();
  const fail = (why: string): never => {
    throw new ConfigError(key.name, `Invalid value ${raw} for configuration ${key.name}: ${why}`);
  };
  let value: ConfigValue;
  switch (key.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') fail('Expected value to be either true or false');
      value = lower === 'true';
      break;
    }
    case 'short':
    case 'int':
    case 'long': {
      if (!/^[-+]?\d+$/.test(text)) fail('Not a number of type ' + key.type.toUpperCase());
      const n = Number(text);
      const [min, max] =
        key.type === 'short' ? [-32768, 32767] : key.type === 'int' ? [INT_MIN, INT_MAX] : [-(2 ** 63), 2 ** 63 - 1];
      if (n < min || n > max) fail(`Not a number of type ${key.type.toUpperCase()}`);
      // Longs beyond 2^53 (Kafka's Long.MAX_VALUE defaults) are kept as the nearest double; they
      // only ever mean "unbounded".
      value = n;
      break;
    }
    case 'double': {
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) fail('Not a number of type DOUBLE');
      value = n;
      break;
    }
    case 'list':
      value = text === '' ? [] : text.split(',').map((s) => s.trim());
      break;
    default:
      value = raw;
  }
  const problem = key.validate?.(value);
  if (problem !== undefined) fail(problem);
  return value;
}

/** Kafka's textual rendering of a config value (DescribeConfigs, `kafka-configs --describe`). */
export function formatConfigValue(value: ConfigValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number' && value >= LONG_MAX) return '9223372036854775807';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** Java's Long.MAX_VALUE as the nearest double; it only ever means "unbounded". */
export const LONG_MAX = 2 ** 63 - 1;

export const atLeast =
  (min: number) =>
  (value: ConfigValue): string | undefined =>
    typeof value === 'number' && value < min ? `Value must be at least ${min}` : undefined;

export const between =
  (min: number, max: number) =>
  (value: ConfigValue): string | undefined =>
    typeof value === 'number' && (value < min || value > max) ? `Value must be in [${min}, ${max}]` : undefined;

export const oneOf =
  (...allowed: string[]) =>
  (value: ConfigValue): string | undefined => {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string' && !allowed.includes(v)) return `String must be one of: ${allowed.join(', ')}`;
    }
    return undefined;
  };
