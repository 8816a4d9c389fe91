import { BigDecimal } from './big-decimal.js';
import { DataException } from './data-exception.js';
import { Decimal } from './decimal.js';

/**
 * Connect's data model, as far as the converters need it: the primitive schema types, ARRAY,
 * MAP and STRUCT, `optional`, a name, a default and a doc. Schemas are immutable; build them
 * with `SchemaBuilder` or use the constants (`Schema.STRING_SCHEMA`, `Schema.OPTIONAL_INT32_SCHEMA`…).
 */
export const SchemaType = {
  INT8: 'INT8',
  INT16: 'INT16',
  INT32: 'INT32',
  INT64: 'INT64',
  FLOAT32: 'FLOAT32',
  FLOAT64: 'FLOAT64',
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  BYTES: 'BYTES',
  ARRAY: 'ARRAY',
  MAP: 'MAP',
  STRUCT: 'STRUCT',
} as const;
export type SchemaType = (typeof SchemaType)[keyof typeof SchemaType];

export { DataException };

export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

export interface SchemaProps {
  readonly type: SchemaType;
  readonly optional?: boolean;
  readonly defaultValue?: unknown;
  readonly name?: string | null;
  readonly version?: number | null;
  readonly doc?: string | null;
  readonly parameters?: Readonly<Record<string, string>> | null;
  readonly fields?: readonly Field[];
  readonly keySchema?: Schema | null;
  readonly valueSchema?: Schema | null;
}

export class Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | null;
  readonly version: number | null;
  readonly doc: string | null;
  readonly parameters: Readonly<Record<string, string>> | null;
  readonly fields: readonly Field[];
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema | null;

  constructor(props: SchemaProps) {
    this.type = props.type;
    this.optional = props.optional ?? false;
    this.defaultValue = props.defaultValue ?? null;
    this.name = props.name ?? null;
    this.version = props.version ?? null;
    this.doc = props.doc ?? null;
    this.parameters = props.parameters ?? null;
    this.fields = props.fields ?? [];
    this.keySchema = props.keySchema ?? null;
    this.valueSchema = props.valueSchema ?? null;
    Object.freeze(this);
  }

  field(name: string): Field | undefined {
    return this.fields.find((f) => f.name === name);
  }

  static readonly INT8_SCHEMA = new Schema({ type: 'INT8' });
  static readonly INT16_SCHEMA = new Schema({ type: 'INT16' });
  static readonly INT32_SCHEMA = new Schema({ type: 'INT32' });
  static readonly INT64_SCHEMA = new Schema({ type: 'INT64' });
  static readonly FLOAT32_SCHEMA = new Schema({ type: 'FLOAT32' });
  static readonly FLOAT64_SCHEMA = new Schema({ type: 'FLOAT64' });
  static readonly BOOLEAN_SCHEMA = new Schema({ type: 'BOOLEAN' });
  static readonly STRING_SCHEMA = new Schema({ type: 'STRING' });
  static readonly BYTES_SCHEMA = new Schema({ type: 'BYTES' });
  static readonly OPTIONAL_INT8_SCHEMA = new Schema({ type: 'INT8', optional: true });
  static readonly OPTIONAL_INT16_SCHEMA = new Schema({ type: 'INT16', optional: true });
  static readonly OPTIONAL_INT32_SCHEMA = new Schema({ type: 'INT32', optional: true });
  static readonly OPTIONAL_INT64_SCHEMA = new Schema({ type: 'INT64', optional: true });
  static readonly OPTIONAL_FLOAT32_SCHEMA = new Schema({ type: 'FLOAT32', optional: true });
  static readonly OPTIONAL_FLOAT64_SCHEMA = new Schema({ type: 'FLOAT64', optional: true });
  static readonly OPTIONAL_BOOLEAN_SCHEMA = new Schema({ type: 'BOOLEAN', optional: true });
  static readonly OPTIONAL_STRING_SCHEMA = new Schema({ type: 'STRING', optional: true });
  static readonly OPTIONAL_BYTES_SCHEMA = new Schema({ type: 'BYTES', optional: true });
}

/**
 * Connect's logical types, as Kafka names them. On INT64/INT32 with JS `Date` values:
 * `Timestamp`: milliseconds since the epoch; `Date`: days since the epoch (a UTC midnight);
 * `Time`: milliseconds since midnight (UTC, on 1970-01-01). On BYTES with `BigDecimal` values:
 * `Decimal`, parameter `scale` (see decimal.ts).
 */
export const LogicalTypes = {
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  DECIMAL: Decimal.LOGICAL_NAME,
  /** Kafka's `Decimal.builder(scale)`: BYTES named Decimal, version 1, parameter `scale`. */
  decimal(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(Decimal.LOGICAL_NAME).parameter(Decimal.SCALE_FIELD, String(scale)).version(1);
  },
  timestamp(): SchemaBuilder {
    return SchemaBuilder.int64().name(LogicalTypes.TIMESTAMP).version(1);
  },
  date(): SchemaBuilder {
    return SchemaBuilder.int32().name(LogicalTypes.DATE).version(1);
  },
  time(): SchemaBuilder {
    return SchemaBuilder.int32().name(LogicalTypes.TIME).version(1);
  },
} as const;

const MS_PER_DAY = 86_400_000;

/** A logical value (a Date, a BigDecimal) to its physical number or bytes; other values unchanged. */
export function toPhysical(schema: Schema, value: unknown): unknown {
  if (value instanceof BigDecimal && schema.name === Decimal.LOGICAL_NAME) return Decimal.fromLogical(schema, value);
  if (!(value instanceof Date)) return value;
  switch (schema.name) {
    case LogicalTypes.TIMESTAMP:
      return value.getTime();
    case LogicalTypes.DATE: {
      const ms = value.getTime();
      if (ms % MS_PER_DAY !== 0)
        throw new DataException('Kafka Connect Date type should not have any time fields set to non-zero values.');
      return ms / MS_PER_DAY;
    }
    case LogicalTypes.TIME: {
      const ms = value.getTime();
      if (ms < 0 || ms >= MS_PER_DAY)
        throw new DataException('Kafka Connect Time type should not have any date fields set to non-zero values.');
      return ms;
    }
    default:
      return value;
  }
}

/** A physical number or bytes to its logical value (a Date, a BigDecimal) when the schema is a logical type. */
export function fromPhysical(schema: Schema, value: unknown): unknown {
  if (value instanceof Uint8Array && schema.name === Decimal.LOGICAL_NAME) return Decimal.toLogical(schema, value);
  if (typeof value !== 'number' && typeof value !== 'bigint') return value;
  switch (schema.name) {
    case LogicalTypes.TIMESTAMP:
    case LogicalTypes.TIME:
      return new Date(Number(value));
    case LogicalTypes.DATE:
      return new Date(Number(value) * MS_PER_DAY);
    default:
      return value;
  }
}

/** Fluent construction, as Kafka's `SchemaBuilder.struct().name("x").field("a", Schema.STRING_SCHEMA).build()`. */
export class SchemaBuilder {
  private props: {
    type: SchemaType;
    optional?: boolean;
    defaultValue?: unknown;
    name?: string;
    version?: number;
    doc?: string;
    parameters?: Record<string, string>;
    keySchema?: Schema;
    valueSchema?: Schema;
  };
  private readonly fieldList: Field[] = [];

  constructor(type: SchemaType) {
    this.props = { type };
  }

  static struct(): SchemaBuilder {
    return new SchemaBuilder('STRUCT');
  }
  static array(valueSchema: Schema): SchemaBuilder {
    const b = new SchemaBuilder('ARRAY');
    b.props.valueSchema = valueSchema;
    return b;
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    const b = new SchemaBuilder('MAP');
    b.props.keySchema = keySchema;
    b.props.valueSchema = valueSchema;
    return b;
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder('STRING');
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder('BYTES');
  }
  static int8(): SchemaBuilder {
    return new SchemaBuilder('INT8');
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder('INT16');
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder('FLOAT32');
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder('FLOAT64');
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder('INT32');
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder('INT64');
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder('BOOLEAN');
  }

  optional(): this {
    this.props.optional = true;
    return this;
  }
  required(): this {
    this.props.optional = false;
    return this;
  }
  name(name: string): this {
    this.props.name = name;
    return this;
  }
  version(version: number): this {
    this.props.version = version;
    return this;
  }
  doc(doc: string): this {
    this.props.doc = doc;
    return this;
  }
  parameter(key: string, value: string): this {
    this.props.parameters = { ...this.props.parameters, [key]: value };
    return this;
  }
  defaultValue(value: unknown): this {
    this.props.defaultValue = value;
    return this;
  }
  field(name: string, schema: Schema): this {
    if (this.props.type !== 'STRUCT') throw new DataException(`Cannot create fields on type ${this.props.type}`);
    if (this.fieldList.some((f) => f.name === name))
      throw new DataException(`Cannot create field because of field name duplication ${name}`);
    this.fieldList.push({ name, index: this.fieldList.length, schema });
    return this;
  }
  build(): Schema {
    return new Schema({ ...this.props, fields: [...this.fieldList] });
  }
}

/** A STRUCT value: field values by name, checked against the schema on `put`. */
export class Struct {
  readonly schema: Schema;
  private readonly values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== 'STRUCT') throw new DataException('Not a struct schema: ' + schema.type);
    this.schema = schema;
    this.values = schema.fields.map(() => null);
  }

  put(fieldName: string, value: unknown): this {
    const field = this.lookup(fieldName);
    validateValue(field.schema, value, fieldName);
    this.values[field.index] = value;
    return this;
  }

  get(fieldName: string): unknown {
    const field = this.lookup(fieldName);
    const value = this.values[field.index];
    return value ?? field.schema.defaultValue ?? null;
  }

  /** The value as put, without falling back to the field's default (Kafka's `getWithoutDefault`). */
  getWithoutDefault(fieldName: string): unknown {
    return this.values[this.lookup(fieldName).index] ?? null;
  }

  /** Every required field is set. */
  validate(): void {
    for (const field of this.schema.fields) validateValue(field.schema, this.values[field.index], field.name);
  }

  /** Kafka's `Struct{name=foo,age=3}` (unset fields left out). */
  toString(): string {
    const parts: string[] = [];
    for (const field of this.schema.fields) {
      const value = this.values[field.index];
      if (value !== null && value !== undefined) parts.push(`${field.name}=${String(value)}`);
    }
    return `Struct{${parts.join(',')}}`;
  }

  private lookup(fieldName: string): Field {
    const field = this.schema.field(fieldName);
    if (field === undefined) throw new DataException(`${fieldName} is not a valid field name`);
    return field;
  }
}

/** Throws a DataException when `value` does not fit `schema` (null is only for optional schemas). */
export function validateValue(schema: Schema, value: unknown, where = 'value'): void {
  if (value === null || value === undefined) {
    if (schema.optional || schema.defaultValue !== null) return;
    throw new DataException(`Invalid value: null used for required field: "${where}", schema type: ${schema.type}`);
  }
  const ok = (() => {
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
      case 'INT32':
        return (
          (typeof value === 'number' && Number.isInteger(value)) || (value instanceof Date && schema.name !== null)
        );
      case 'INT64':
        return (
          typeof value === 'bigint' ||
          (typeof value === 'number' && Number.isInteger(value)) ||
          (value instanceof Date && schema.name !== null)
        );
      case 'FLOAT32':
      case 'FLOAT64':
        return typeof value === 'number';
      case 'BOOLEAN':
        return typeof value === 'boolean';
      case 'STRING':
        return typeof value === 'string';
      case 'BYTES':
        // As Kafka's ConnectSchema: a logical type takes its logical class only.
        return schema.name === Decimal.LOGICAL_NAME ? value instanceof BigDecimal : value instanceof Uint8Array;
      case 'ARRAY':
        return Array.isArray(value);
      case 'MAP':
        return value instanceof Map || (typeof value === 'object' && !Array.isArray(value));
      case 'STRUCT':
        return value instanceof Struct;
    }
  })();
  if (!ok && schema.name === Decimal.LOGICAL_NAME)
    throw new DataException(
      `Invalid Java object for schema "${schema.name}" with type ${schema.type}: ${typeof value} for field: "${where}"`,
    );
  if (!ok)
    throw new DataException(
      `Invalid Java object for schema with type ${schema.type}: ${typeof value} for field: "${where}"`,
    );
}

export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}
