import { type ConfigDef, ConfigException, type Validator } from '../config/config-def.js';
import { BigDecimal } from '../data/big-decimal.js';
import { DataException, Schema, type SchemaType, Struct } from '../data/schema.js';
import type { ConnectRecord, Transformation } from './transformation.js';

/**
 * What Kafka's built-in transforms share (Kafka's transforms.util Requirements and SchemaUtil):
 * the key/value side a `$Key`/`$Value` variant works on, the "Only Map objects supported…"
 * checks with Kafka's messages, struct schema copies and the per-transform schema cache. Values
 * without a schema are plain objects (what JsonConverter with `schemas.enable=false` gives; a
 * `Map` is accepted too); values with a STRUCT schema are `Struct`s and get a new schema.
 */

export type Side = 'key' | 'value';
export type Obj = Record<string, unknown>;

export function schemaOf(record: ConnectRecord, side: Side): Schema | null {
  return (side === 'key' ? record.keySchema : record.valueSchema) ?? null;
}

export function sideValue(record: ConnectRecord, side: Side): unknown {
  return (side === 'key' ? record.key : record.value) ?? null;
}

export function withSide<R extends ConnectRecord>(record: R, side: Side, schema: Schema | null, value: unknown): R {
  return side === 'key' ? { ...record, keySchema: schema, key: value } : { ...record, valueSchema: schema, value };
}

export function javaClass(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Long' : 'java.lang.Double';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (value instanceof Uint8Array) return '[B';
  if (value instanceof Date) return 'java.util.Date';
  if (value instanceof BigDecimal) return 'java.math.BigDecimal';
  return 'java.util.HashMap';
}

export function isMap(value: unknown): boolean {
  return (
    value instanceof Map ||
    (typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      !(value instanceof Struct) &&
      !(value instanceof Date) &&
      !(value instanceof BigDecimal) &&
      !(value instanceof Uint8Array))
  );
}

/** Kafka's Requirements.requireMap: a copy of a schemaless map value. */
export function requireMap(value: unknown, purpose: string): Obj {
  if (!isMap(value)) {
    throw new DataException(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${javaClass(value)}`,
    );
  }
  return value instanceof Map ? Object.fromEntries(value) : { ...(value as Obj) };
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) {
    throw new DataException(`Only Struct objects supported for [${purpose}], found: ${javaClass(value)}`);
  }
  return value;
}

export function requireSinkOffset(record: ConnectRecord, purpose: string): bigint {
  if (record.kafkaOffset === undefined) {
    throw new DataException(
      `Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`,
    );
  }
  return record.kafkaOffset;
}

/** A STRUCT schema like `base` (name, version, doc, optional) with these fields. */
export function structSchema(
  base: Schema | null,
  fields: readonly { name: string; schema: Schema }[],
  optional?: boolean,
) {
  return new Schema({
    type: 'STRUCT',
    name: base?.name ?? null,
    version: base?.version ?? null,
    doc: base?.doc ?? null,
    optional: optional ?? base?.optional ?? false,
    fields: fields.map((f, index) => ({ name: f.name, index, schema: f.schema })),
  });
}

export function optionalOf(schema: Schema): Schema {
  return schema.optional ? schema : new Schema({ ...schema, optional: true });
}

export function newStruct(schema: Schema, values: Obj): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields) {
    const v = values[field.name];
    if (v !== undefined && v !== null) struct.put(field.name, v);
  }
  return struct;
}

export function structValues(struct: Struct): Obj {
  const out: Obj = {};
  for (const field of struct.schema.fields) out[field.name] = struct.get(field.name);
  return out;
}

/** Caches the schema a transform derives from an input schema, as Kafka's SynchronizedCache. */
export class SchemaCache {
  private readonly cache = new WeakMap<Schema, Schema>();
  get(schema: Schema, make: () => Schema): Schema {
    let out = this.cache.get(schema);
    if (out === undefined) {
      out = make();
      this.cache.set(schema, out);
    }
    return out;
  }
}

export abstract class BaseTransform<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  protected readonly schemaCache = new SchemaCache();
  constructor(protected readonly side: Side) {}
  abstract config(): ConfigDef;
  protected abstract configured(values: Record<string, unknown>): void;
  abstract apply(record: R): R | null;
  configure(props: Readonly<Record<string, string>>): void {
    this.configured(this.config().parse(props));
  }
  close(): void {}
}

/** Connect's numeric schema types. */
export const NUMERIC = new Set<SchemaType>(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64']);

export const nonEmptyList: Validator = {
  ensureValid(name, value) {
    if (!Array.isArray(value) || value.length === 0) throw new ConfigException(name, value, 'Empty list');
  },
  toString: () => 'non-empty list',
};

export function regexValidator(): Validator {
  return {
    ensureValid(name, value) {
      try {
        new RegExp(String(value));
      } catch (error) {
        throw new ConfigException(name, value, `Invalid regex: ${(error as Error).message}`);
      }
    },
    toString: () => 'valid regex',
  };
}
