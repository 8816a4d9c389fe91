/**
 * Kafka's ConfigDef: typed settings with defaults, importance, documentation and validators.
 * `parse` turns string properties into typed values and throws on the first problem (a worker's
 * startup); `validate` collects every problem per key (what `/connector-plugins/…/config/validate`
 * answers). Messages are Kafka's, word for word, since users grep for them.
 */
export const ConfigType = {
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  INT: 'INT',
  SHORT: 'SHORT',
  LONG: 'LONG',
  DOUBLE: 'DOUBLE',
  LIST: 'LIST',
  CLASS: 'CLASS',
  PASSWORD: 'PASSWORD',
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

export const Importance = { HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW' } as const;
export type Importance = (typeof Importance)[keyof typeof Importance];

export const Width = { NONE: 'NONE', SHORT: 'SHORT', MEDIUM: 'MEDIUM', LONG: 'LONG' } as const;
export type Width = (typeof Width)[keyof typeof Width];

/** Marks a key with no default: it must be given. */
export const NO_DEFAULT_VALUE: unique symbol = Symbol('NO_DEFAULT_VALUE');

/** Kafka's ConfigException: `Invalid value <v> for configuration <name>: <why>`. */
export class ConfigException extends Error {
  override readonly name = 'ConfigException';
  constructor(messageOrName: string, value?: unknown, why?: string) {
    super(
      value === undefined && why === undefined
        ? messageOrName
        : `Invalid value ${String(value)} for configuration ${messageOrName}${why === undefined ? '' : `: ${why}`}`,
    );
  }
}

/** Throws a ConfigException for a parsed value it refuses. */
export interface Validator {
  ensureValid(name: string, value: unknown): void;
  toString(): string;
}

export const Validators = {
  /** Kafka's `Range.atLeast` / `Range.between`. */
  range(min: number | null, max: number | null): Validator {
    return {
      ensureValid(name, value) {
        if (value === null || value === undefined) throw new ConfigException(name, value, 'Value must be non-null');
        const n = Number(value);
        if (min !== null && n < min) throw new ConfigException(name, value, `Value must be at least ${min}`);
        if (max !== null && n > max) throw new ConfigException(name, value, `Value must be no more than ${max}`);
      },
      toString: () => (max === null ? `[${min},...]` : min === null ? `[...,${max}]` : `[${min},...,${max}]`),
    };
  },
  atLeast(min: number): Validator {
    return Validators.range(min, null);
  },
  nonEmptyString(): Validator {
    return {
      ensureValid(name, value) {
        if (typeof value === 'string' && value.length === 0)
          throw new ConfigException(name, value, 'String must be non-empty');
      },
      toString: () => 'non-empty string',
    };
  },
  validString(...allowed: string[]): Validator {
    return {
      ensureValid(name, value) {
        if (typeof value !== 'string' || !allowed.includes(value)) {
          throw new ConfigException(name, value, `String must be one of: ${allowed.join(', ')}`);
        }
      },
      toString: () => `[${allowed.join(', ')}]`,
    };
  },
  /** Kafka's CaseInsensitiveValidString (its message names the values upper-cased). */
  validStringIgnoreCase(...allowed: string[]): Validator {
    const upper = allowed.map((a) => a.toUpperCase());
    return {
      ensureValid(name, value) {
        if (typeof value !== 'string' || !upper.includes(value.toUpperCase())) {
          throw new ConfigException(name, value, `String must be one of (case insensitive): ${upper.join(', ')}`);
        }
      },
      toString: () => `(case insensitive) [${upper.join(', ')}]`,
    };
  },
} as const;

export interface ConfigKeyInput {
  readonly name: string;
  readonly type: ConfigType;
  /** NO_DEFAULT_VALUE (the default) makes the key required. */
  readonly defaultValue?: unknown;
  readonly validator?: Validator;
  readonly importance: Importance;
  readonly documentation: string;
  readonly group?: string;
  readonly orderInGroup?: number;
  readonly width?: Width;
  readonly displayName?: string;
  readonly dependents?: readonly string[];
}

export interface ConfigKey extends ConfigKeyInput {
  readonly defaultValue: unknown;
  readonly width: Width;
  readonly displayName: string;
  readonly dependents: readonly string[];
  readonly orderInGroup: number;
}

/** The outcome of validating one key, as Kafka's ConfigValue. */
export interface ConfigValue {
  readonly name: string;
  value: unknown;
  readonly recommendedValues: unknown[];
  readonly errors: string[];
  visible: boolean;
}

export class ConfigDef {
  private readonly keyMap = new Map<string, ConfigKey>();

  define(input: ConfigKeyInput): this {
    if (this.keyMap.has(input.name)) throw new ConfigException(`Configuration ${input.name} is defined twice.`);
    const defaultValue =
      input.defaultValue === undefined || input.defaultValue === NO_DEFAULT_VALUE
        ? NO_DEFAULT_VALUE
        : input.defaultValue === null
          ? null
          : parseType(input.name, input.defaultValue, input.type);
    const key: ConfigKey = {
      ...input,
      defaultValue,
      width: input.width ?? 'NONE',
      displayName: input.displayName ?? input.name,
      dependents: input.dependents ?? [],
      orderInGroup: input.orderInGroup ?? -1,
    };
    if (key.validator !== undefined && defaultValue !== NO_DEFAULT_VALUE && defaultValue !== null) {
      key.validator.ensureValid(key.name, defaultValue);
    }
    this.keyMap.set(key.name, key);
    return this;
  }

  /** Every key of `other` added to a copy of this one (Kafka's `new ConfigDef(base).define(...)`). */
  merge(other: ConfigDef): ConfigDef {
    const out = new ConfigDef();
    for (const key of [...this.keyMap.values(), ...other.keyMap.values()]) {
      if (!out.keyMap.has(key.name)) out.keyMap.set(key.name, key);
    }
    return out;
  }

  keys(): readonly ConfigKey[] {
    return [...this.keyMap.values()];
  }

  key(name: string): ConfigKey | undefined {
    return this.keyMap.get(name);
  }

  /** Typed values of every defined key; throws the first ConfigException. Undefined keys pass through unparsed. */
  parse(props: Readonly<Record<string, string>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of this.keyMap.values())
      out[key.name] = this.parseValue(key, props[key.name], props[key.name] !== undefined);
    return out;
  }

  /** One ConfigValue per defined key, with every error found (never throws for a bad value). */
  validate(props: Readonly<Record<string, string>>): Map<string, ConfigValue> {
    const out = new Map<string, ConfigValue>();
    for (const key of this.keyMap.values()) {
      const result: ConfigValue = { name: key.name, value: null, recommendedValues: [], errors: [], visible: true };
      try {
        result.value = this.parseValue(key, props[key.name], props[key.name] !== undefined);
      } catch (error) {
        result.errors.push((error as Error).message);
        result.value = props[key.name] ?? null;
      }
      out.set(key.name, result);
    }
    return out;
  }

  private parseValue(key: ConfigKey, raw: string | undefined, isSet: boolean): unknown {
    let value: unknown;
    if (isSet) value = parseType(key.name, raw, key.type);
    else if (key.defaultValue === NO_DEFAULT_VALUE) {
      throw new ConfigException(`Missing required configuration "${key.name}" which has no default value.`);
    } else value = key.defaultValue;
    if (key.validator !== undefined && value !== null) key.validator.ensureValid(key.name, value);
    return value;
  }
}

/** Kafka's ConfigDef.parseType: strings (trimmed) to the key's type. */
export function parseType(name: string, value: unknown, type: ConfigType): unknown {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value.trim() : value;
  switch (type) {
    case 'BOOLEAN':
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string' && text.toLowerCase() === 'true') return true;
      if (typeof text === 'string' && text.toLowerCase() === 'false') return false;
      throw new ConfigException(name, value, 'Expected value to be either true or false');
    case 'PASSWORD':
    case 'STRING':
      if (typeof value !== 'string')
        throw new ConfigException(name, value, 'Expected value to be a string, but it was a ' + typeof value);
      return type === 'PASSWORD' ? new Password(value) : text;
    case 'CLASS':
      if (typeof text !== 'string') throw new ConfigException(name, value, 'Expected a Class instance or class name.');
      return text;
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const n =
        typeof text === 'number' ? text : typeof text === 'string' && /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      const [min, max] =
        type === 'INT' ? [-(2 ** 31), 2 ** 31 - 1] : type === 'SHORT' ? [-32768, 32767] : [-(2 ** 63), 2 ** 63];
      if (!Number.isInteger(n) || n < min || n > max)
        throw new ConfigException(name, value, `Not a number of type ${type}`);
      return n;
    }
    case 'DOUBLE': {
      const n = typeof text === 'number' ? text : Number(text);
      if (typeof text === 'string' && (text === '' || Number.isNaN(n)))
        throw new ConfigException(name, value, 'Not a number of type DOUBLE');
      return n;
    }
    case 'LIST':
      if (Array.isArray(value)) return value.map(String);
      if (typeof text !== 'string') throw new ConfigException(name, value, 'Expected a comma separated list.');
      return text === '' ? [] : text.split(/\s*,\s*/);
  }
}

/** A password value: printed as `[hidden]`, as Kafka's Password. */
export class Password {
  static readonly HIDDEN = '[hidden]';
  constructor(readonly value: string) {}
  toString(): string {
    return Password.HIDDEN;
  }
  toJSON(): string {
    return Password.HIDDEN;
  }
}

/** Kafka's ConfigDef.convertToString: the string form shown in REST answers (null stays null). */
export function convertToString(value: unknown, type: ConfigType): string | null {
  if (value === null || value === undefined || value === NO_DEFAULT_VALUE) return null;
  if (type === 'PASSWORD') return Password.HIDDEN;
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
