import { ConfigDef, ConfigException, NO_DEFAULT_VALUE, type Validator, Validators } from '../config/config-def.js';
import { BigDecimal } from '../data/big-decimal.js';
import { DataException, LogicalTypes, Schema, type SchemaType, Struct } from '../data/schema.js';
import { SimpleDateFormat } from './simple-date-format.js';
import type { ConnectRecord, Transformation } from './transformation.js';

/**
 * Kafka's built-in single message transforms (org.apache.kafka.connect.transforms.*), with their
 * option names, defaults and error messages. Values without a schema are plain objects (what
 * JsonConverter with `schemas.enable=false` gives; a `Map` is accepted too); values with a STRUCT
 * schema are `Struct`s and get a new schema, as in Kafka.
 */

type Side = 'key' | 'value';
type Obj = Record<string, unknown>;

function schemaOf(record: ConnectRecord, side: Side): Schema | null {
  return (side === 'key' ? record.keySchema : record.valueSchema) ?? null;
}

function sideValue(record: ConnectRecord, side: Side): unknown {
  return (side === 'key' ? record.key : record.value) ?? null;
}

function withSide<R extends ConnectRecord>(record: R, side: Side, schema: Schema | null, value: unknown): R {
  return side === 'key' ? { ...record, keySchema: schema, key: value } : { ...record, valueSchema: schema, value };
}

function javaClass(value: unknown): string {
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

function isMap(value: unknown): boolean {
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
function requireMap(value: unknown, purpose: string): Obj {
  if (!isMap(value)) {
    throw new DataException(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${javaClass(value)}`,
    );
  }
  return value instanceof Map ? Object.fromEntries(value) : { ...(value as Obj) };
}

function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) {
    throw new DataException(`Only Struct objects supported for [${purpose}], found: ${javaClass(value)}`);
  }
  return value;
}

function requireSinkOffset(record: ConnectRecord, purpose: string): bigint {
  if (record.kafkaOffset === undefined) {
    throw new DataException(
      `Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`,
    );
  }
  return record.kafkaOffset;
}

/** A STRUCT schema like `base` (name, version, doc, optional) with these fields. */
function structSchema(base: Schema | null, fields: readonly { name: string; schema: Schema }[], optional?: boolean) {
  return new Schema({
    type: 'STRUCT',
    name: base?.name ?? null,
    version: base?.version ?? null,
    doc: base?.doc ?? null,
    optional: optional ?? base?.optional ?? false,
    fields: fields.map((f, index) => ({ name: f.name, index, schema: f.schema })),
  });
}

function optionalOf(schema: Schema): Schema {
  return schema.optional ? schema : new Schema({ ...schema, optional: true });
}

function newStruct(schema: Schema, values: Obj): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields) {
    const v = values[field.name];
    if (v !== undefined && v !== null) struct.put(field.name, v);
  }
  return struct;
}

function structValues(struct: Struct): Obj {
  const out: Obj = {};
  for (const field of struct.schema.fields) out[field.name] = struct.get(field.name);
  return out;
}

/** Caches the schema a transform derives from an input schema, as Kafka's SynchronizedCache. */
class SchemaCache {
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

abstract class BaseTransform<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
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

const nonEmptyList: Validator = {
  ensureValid(name, value) {
    if (!Array.isArray(value) || value.length === 0) throw new ConfigException(name, value, 'Empty list');
  },
  toString: () => 'non-empty list',
};

function regexValidator(): Validator {
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

// ---- InsertField ----

interface InsertSpec {
  name: string;
  optional: boolean;
}

function insertSpec(raw: unknown): InsertSpec | null {
  if (typeof raw !== 'string' || raw === '') return null;
  if (raw.endsWith('!')) return { name: raw.slice(0, -1), optional: false };
  if (raw.endsWith('?')) return { name: raw.slice(0, -1), optional: true };
  return { name: raw, optional: true };
}

const INSERT_FIELD_DEF = new ConfigDef()
  .define({
    name: 'topic.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for Kafka topic. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'partition.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for Kafka partition. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'offset.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for Kafka offset - only applicable to sink connectors.<br/>Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'timestamp.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for record timestamp. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'static.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for static data field. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'static.value',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'Static field value, if field name configured.',
  });

export class InsertField extends BaseTransform {
  private topic: InsertSpec | null = null;
  private partition: InsertSpec | null = null;
  private offset: InsertSpec | null = null;
  private timestamp: InsertSpec | null = null;
  private staticField: InsertSpec | null = null;
  private staticValue: string | null = null;

  config(): ConfigDef {
    return INSERT_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.topic = insertSpec(v['topic.field']);
    this.partition = insertSpec(v['partition.field']);
    this.offset = insertSpec(v['offset.field']);
    this.timestamp = insertSpec(v['timestamp.field']);
    this.staticField = insertSpec(v['static.field']);
    this.staticValue = (v['static.value'] as string | null) ?? null;
    if (
      this.topic === null &&
      this.partition === null &&
      this.offset === null &&
      this.timestamp === null &&
      this.staticField === null
    ) {
      throw new ConfigException('No field insertion configured');
    }
    if (this.staticField !== null && this.staticValue === null) {
      throw new ConfigException('static.value', null, 'No value specified for static field: static.field');
    }
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    const purpose = 'field insertion';
    const inserted: Obj = {};
    if (this.topic !== null) inserted[this.topic.name] = record.topic;
    if (this.partition !== null) inserted[this.partition.name] = record.kafkaPartition ?? null;
    if (this.offset !== null) inserted[this.offset.name] = Number(requireSinkOffset(record, purpose));
    if (this.timestamp !== null) inserted[this.timestamp.name] = record.timestamp ?? null;
    if (this.staticField !== null) inserted[this.staticField.name] = this.staticValue;
    if (schema === null) {
      const out = requireMap(value, purpose);
      for (const [k, v] of Object.entries(inserted)) if (v !== null) out[k] = v;
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, purpose);
    const outSchema = this.schemaCache.get(schema, () => {
      const fields = schema.fields.map((f) => ({ name: f.name, schema: f.schema }));
      const add = (spec: InsertSpec | null, s: Schema) => {
        if (spec !== null) fields.push({ name: spec.name, schema: spec.optional ? optionalOf(s) : s });
      };
      add(this.topic, Schema.STRING_SCHEMA);
      add(this.partition, Schema.INT32_SCHEMA);
      add(this.offset, Schema.INT64_SCHEMA);
      add(this.timestamp, LogicalTypes.timestamp().build());
      add(this.staticField, Schema.STRING_SCHEMA);
      return structSchema(schema, fields);
    });
    const values = structValues(struct);
    if (this.timestamp !== null && record.timestamp !== null && record.timestamp !== undefined) {
      inserted[this.timestamp.name] = new Date(record.timestamp);
    }
    return withSide(record, this.side, outSchema, newStruct(outSchema, { ...values, ...inserted }));
  }
}

// ---- ReplaceField ----

const RENAMES_VALIDATOR: Validator = {
  ensureValid(name, value) {
    for (const mapping of value as string[]) {
      const parts = mapping.split(':');
      if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
        throw new ConfigException(name, value, `Invalid rename mapping: ${mapping}`);
      }
    }
  },
  toString: () => 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
};

const REPLACE_FIELD_DEF = new ConfigDef()
  .define({
    name: 'exclude',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields to exclude. This takes precedence over the fields to include.',
  })
  .define({
    name: 'include',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields to include. If specified, only these fields will be used.',
  })
  .define({
    name: 'renames',
    type: 'LIST',
    defaultValue: '',
    validator: RENAMES_VALIDATOR,
    importance: 'MEDIUM',
    documentation: 'Field rename mappings.',
  });

export class ReplaceField extends BaseTransform {
  private exclude: string[] = [];
  private include: string[] = [];
  private renames = new Map<string, string>();

  config(): ConfigDef {
    return REPLACE_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.exclude = v.exclude as string[];
    this.include = v.include as string[];
    this.renames = new Map((v.renames as string[]).map((m) => m.split(':') as [string, string]));
  }

  private filter(name: string): boolean {
    return !this.exclude.includes(name) && (this.include.length === 0 || this.include.includes(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    if (schema === null) {
      const out: Obj = {};
      for (const [k, v] of Object.entries(requireMap(value, 'field replacement'))) {
        if (this.filter(k)) out[this.renamed(k)] = v;
      }
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'field replacement');
    const outSchema = this.schemaCache.get(schema, () =>
      structSchema(
        schema,
        schema.fields.filter((f) => this.filter(f.name)).map((f) => ({ name: this.renamed(f.name), schema: f.schema })),
      ),
    );
    const out = new Struct(outSchema);
    for (const f of schema.fields) {
      if (!this.filter(f.name)) continue;
      const v = struct.get(f.name);
      if (v !== null) out.put(this.renamed(f.name), v);
    }
    return withSide(record, this.side, outSchema, out);
  }
}

// ---- MaskField ----

const MASK_FIELD_DEF = new ConfigDef()
  .define({
    name: 'fields',
    type: 'LIST',
    validator: nonEmptyList,
    importance: 'HIGH',
    documentation: 'Names of fields to mask.',
  })
  .define({
    name: 'replacement',
    type: 'STRING',
    defaultValue: null,
    validator: Validators.nonEmptyString(),
    importance: 'LOW',
    documentation:
      "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
  });

const NUMERIC = new Set<SchemaType>(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64']);

export class MaskField extends BaseTransform {
  private fields = new Set<string>();
  private replacement: string | null = null;

  config(): ConfigDef {
    return MASK_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.fields = new Set(v.fields as string[]);
    this.replacement = (v.replacement as string | null) ?? null;
  }

  private masked(value: unknown, type: SchemaType | null): unknown {
    if (value === null) return null;
    // A decimal stays a decimal of its own scale, so its Decimal schema still fits.
    if (value instanceof BigDecimal) {
      if (this.replacement === null) return new BigDecimal(0n, value.scale);
      try {
        return BigDecimal.parse(this.replacement).setScale(value.scale);
      } catch {
        throw new DataException(`Unable to convert ${this.replacement} to number`);
      }
    }
    const kind =
      type ??
      (typeof value === 'number' || typeof value === 'bigint'
        ? 'FLOAT64'
        : typeof value === 'string'
          ? 'STRING'
          : typeof value === 'boolean'
            ? 'BOOLEAN'
            : null);
    if (this.replacement !== null) {
      if (kind === 'STRING') return this.replacement;
      if (kind !== null && NUMERIC.has(kind)) {
        const n = Number(this.replacement);
        if (Number.isNaN(n)) throw new DataException(`Unable to convert ${this.replacement} to number`);
        return n;
      }
      throw new DataException(`Cannot mask value of type ${javaClass(value)} with custom replacement.`);
    }
    if (kind === 'STRING') return '';
    if (kind === 'BOOLEAN') return false;
    if (kind !== null && NUMERIC.has(kind)) return 0;
    if (value instanceof Date) return new Date(0);
    if (Array.isArray(value)) return [];
    if (value instanceof Map) return new Map();
    if (value instanceof Uint8Array) return new Uint8Array(0);
    if (typeof value === 'object') return {};
    throw new DataException(`Cannot mask value of type: ${javaClass(value)}`);
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    if (schema === null) {
      const out = requireMap(value, 'masking fields');
      for (const f of this.fields) if (f in out) out[f] = this.masked(out[f], null);
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'masking fields');
    const out = new Struct(schema);
    for (const f of schema.fields) {
      const v = struct.get(f.name);
      const nv = this.fields.has(f.name) ? this.masked(v, f.schema.name === null ? f.schema.type : null) : v;
      if (nv !== null) out.put(f.name, nv);
    }
    return withSide(record, this.side, schema, out);
  }
}

// ---- ValueToKey ----

const VALUE_TO_KEY_DEF = new ConfigDef().define({
  name: 'fields',
  type: 'LIST',
  validator: nonEmptyList,
  importance: 'HIGH',
  documentation: 'Field names on the record value to extract as the record key.',
});

export class ValueToKey extends BaseTransform {
  private fields: string[] = [];

  constructor() {
    super('value');
  }

  config(): ConfigDef {
    return VALUE_TO_KEY_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.fields = v.fields as string[];
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = record.valueSchema ?? null;
    if (schema === null) {
      const value = requireMap(record.value, 'copying fields from value to key');
      const key: Obj = {};
      for (const f of this.fields) key[f] = value[f] ?? null;
      return { ...record, keySchema: null, key };
    }
    const value = requireStruct(record.value, 'copying fields from value to key');
    const keySchema = this.schemaCache.get(schema, () =>
      structSchema(
        null,
        this.fields.map((name) => {
          const field = schema.field(name);
          if (field === undefined) throw new DataException(`Field does not exist: ${name}`);
          return { name, schema: field.schema };
        }),
        false,
      ),
    );
    const key = new Struct(keySchema);
    for (const f of this.fields) {
      const v = value.get(f);
      if (v !== null) key.put(f, v);
    }
    return { ...record, keySchema, key };
  }
}

// ---- ExtractField ----

const EXTRACT_FIELD_DEF = new ConfigDef().define({
  name: 'field',
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name to extract.',
});

export class ExtractField extends BaseTransform {
  private field = '';

  config(): ConfigDef {
    return EXTRACT_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.field = v.field as string;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    const schema = schemaOf(record, this.side);
    if (schema === null) {
      if (value === null) return withSide(record, this.side, null, null);
      return withSide(record, this.side, null, requireMap(value, 'field extraction')[this.field] ?? null);
    }
    const field = schema.field(this.field);
    if (field === undefined) throw new DataException(`Unknown field: ${this.field}`);
    if (value === null) return withSide(record, this.side, field.schema, null);
    return withSide(record, this.side, field.schema, requireStruct(value, 'field extraction').get(this.field));
  }
}

// ---- HoistField ----

const HOIST_FIELD_DEF = new ConfigDef().define({
  name: 'field',
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

export class HoistField extends BaseTransform {
  private field = '';

  config(): ConfigDef {
    return HOIST_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.field = v.field as string;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    const schema = schemaOf(record, this.side);
    if (schema === null) return withSide(record, this.side, null, { [this.field]: value });
    const outSchema = this.schemaCache.get(schema, () => structSchema(null, [{ name: this.field, schema }], false));
    const out = new Struct(outSchema);
    if (value !== null) out.put(this.field, value);
    return withSide(record, this.side, outSchema, out);
  }
}

// ---- Cast ----

const CAST_TYPES: Record<string, SchemaType> = {
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float32: 'FLOAT32',
  float64: 'FLOAT64',
  boolean: 'BOOLEAN',
  string: 'STRING',
};

const WHOLE_VALUE = '';

function parseCastSpec(name: string, spec: readonly string[]): Map<string, SchemaType> {
  const out = new Map<string, SchemaType>();
  for (const mapping of spec) {
    const parts = mapping.split(':');
    if (parts.length > 2) throw new ConfigException(name, spec.join(','), `Invalid cast mapping: ${mapping}`);
    const [field, typeName] = parts.length === 1 ? [WHOLE_VALUE, parts[0]!] : [parts[0]!.trim(), parts[1]!];
    const type = CAST_TYPES[typeName.trim().toLowerCase()];
    if (type === undefined) throw new ConfigException(`Invalid type found in casting spec: ${typeName.trim()}`);
    out.set(field, type);
  }
  if (out.has(WHOLE_VALUE) && out.size > 1) {
    throw new ConfigException(
      'Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec',
    );
  }
  return out;
}

const CAST_DEF = new ConfigDef().define({
  name: 'spec',
  type: 'LIST',
  validator: {
    ensureValid(name, value) {
      if (!Array.isArray(value) || value.length === 0)
        throw new ConfigException(name, value, 'Must specify at least one field to cast.');
      parseCastSpec(name, value as string[]);
    },
    toString: () => 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
  },
  importance: 'HIGH',
  documentation:
    'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string.',
});

function castValue(value: unknown, type: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const asNumber = (): number => {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'string') {
      const n = Number(value.trim());
      if (value.trim() === '' || Number.isNaN(n))
        throw new DataException(`Value (${value}) was out of range for requested data type`);
      return n;
    }
    if (value instanceof Date) return value.getTime();
    throw new DataException(`Unexpected type in Cast transformation: ${javaClass(value)}`);
  };
  switch (type) {
    case 'INT8':
      return (Math.trunc(asNumber()) << 24) >> 24;
    case 'INT16':
      return (Math.trunc(asNumber()) << 16) >> 16;
    case 'INT32':
      return Math.trunc(asNumber()) | 0;
    case 'INT64':
      return typeof value === 'bigint' ? value : Math.trunc(asNumber());
    case 'FLOAT32':
      return Math.fround(asNumber());
    case 'FLOAT64':
      return asNumber();
    case 'BOOLEAN':
      if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
      return asNumber() !== 0;
    case 'STRING':
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'object')
        throw new DataException(`Unexpected type in Cast transformation: ${javaClass(value)}`);
      return String(value);
    default:
      throw new DataException(`Cannot cast to ${type}`);
  }
}

function primitiveSchema(type: SchemaType, optional: boolean): Schema {
  return new Schema({ type, optional });
}

export class Cast extends BaseTransform {
  private casts = new Map<string, SchemaType>();

  config(): ConfigDef {
    return CAST_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.casts = parseCastSpec('spec', v.spec as string[]);
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    const schema = schemaOf(record, this.side);
    const whole = this.casts.get(WHOLE_VALUE);
    if (whole !== undefined) {
      if (schema !== null && !(NUMERIC.has(schema.type) || schema.type === 'STRING' || schema.type === 'BOOLEAN')) {
        throw new DataException(`Cast transformation does not support casting to/from ${schema.type}`);
      }
      return withSide(
        record,
        this.side,
        schema === null ? null : primitiveSchema(whole, schema.optional),
        castValue(value, whole),
      );
    }
    if (value === null) return record;
    if (schema === null) {
      const out = requireMap(value, 'cast types');
      for (const [field, type] of this.casts) if (field in out) out[field] = castValue(out[field], type);
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'cast types');
    const outSchema = this.schemaCache.get(schema, () =>
      structSchema(
        schema,
        schema.fields.map((f) => {
          const type = this.casts.get(f.name);
          return { name: f.name, schema: type === undefined ? f.schema : primitiveSchema(type, f.schema.optional) };
        }),
      ),
    );
    const out = new Struct(outSchema);
    for (const f of schema.fields) {
      const type = this.casts.get(f.name);
      const v = struct.get(f.name);
      const nv = type === undefined ? v : castValue(v, type);
      if (nv !== null) out.put(f.name, nv);
    }
    return withSide(record, this.side, outSchema, out);
  }
}

// ---- RegexRouter ----

/** Java's Matcher.replaceFirst replacement: `$1`, `${name}`, `\$` for a literal `$`. */
export function javaReplacement(match: RegExpExecArray, replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new DataException('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      if (replacement[i + 1] === '{') {
        const end = replacement.indexOf('}', i);
        const name = replacement.slice(i + 2, end);
        if (end < 0 || match.groups === undefined || !(name in match.groups)) {
          throw new DataException(`No group with name {${name}}`);
        }
        out += match.groups[name] ?? '';
        i = end;
      } else {
        let j = i + 1;
        if (!/\d/.test(replacement[j] ?? '')) throw new DataException('Illegal group reference');
        let group = Number(replacement[j]);
        if (group >= match.length) throw new DataException(`No group ${group}`);
        // Java takes further digits while the group number stays valid.
        while (/\d/.test(replacement[j + 1] ?? '') && group * 10 + Number(replacement[j + 1]) < match.length) {
          group = group * 10 + Number(replacement[j + 1]);
          j++;
        }
        out += match[group] ?? '';
        i = j;
      }
    } else out += c;
  }
  return out;
}

const REGEX_ROUTER_DEF = new ConfigDef()
  .define({
    name: 'regex',
    type: 'STRING',
    validator: regexValidator(),
    importance: 'HIGH',
    documentation: 'Regular expression to use for matching.',
  })
  .define({
    name: 'replacement',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'Replacement string.',
  });

export class RegexRouter extends BaseTransform {
  private regex = /^$/;
  private replacement = '';

  constructor() {
    super('value');
  }

  config(): ConfigDef {
    return REGEX_ROUTER_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.regex = new RegExp(`^(?:${v.regex as string})$`);
    this.replacement = v.replacement as string;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const match = this.regex.exec(record.topic);
    if (match === null) return record;
    return { ...record, topic: javaReplacement(match, this.replacement) };
  }
}

// ---- TimestampRouter ----

const TIMESTAMP_ROUTER_DEF = new ConfigDef()
  .define({
    name: 'topic.format',
    type: 'STRING',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
    defaultValue: '${topic}-${timestamp}',
    importance: 'HIGH',
    documentation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
      'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
  })
  .define({
    name: 'timestamp.format',
    type: 'STRING',
    defaultValue: 'yyyyMMdd',
    validator: {
      ensureValid(name, value) {
        try {
          new SimpleDateFormat(String(value));
        } catch (error) {
          throw new ConfigException(name, value, (error as Error).message);
        }
      },
      toString: () => 'SimpleDateFormat pattern (y, M, d, H, m, s, S)',
    },
    importance: 'HIGH',
    documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
  });

export class TimestampRouter extends BaseTransform {
  private topicFormat = '';
  private format = new SimpleDateFormat('yyyyMMdd');

  constructor() {
    super('value');
  }

  config(): ConfigDef {
    return TIMESTAMP_ROUTER_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.topicFormat = v['topic.format'] as string;
    this.format = new SimpleDateFormat(v['timestamp.format'] as string);
  }

  apply(record: ConnectRecord): ConnectRecord {
    const ts = record.timestamp;
    if (ts === null || ts === undefined) throw new DataException(`Timestamp missing on record: ${record.topic}`);
    const formatted = this.format.format(new Date(ts));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
    const topic = this.topicFormat.replaceAll('${topic}', record.topic).replaceAll('${timestamp}', formatted);
    return { ...record, topic };
  }
}

// ---- Filter ----

export class Filter implements Transformation {
  configure(): void {}
  config(): ConfigDef {
    return new ConfigDef();
  }
  apply(): null {
    return null;
  }
  close(): void {}
}

// ---- Flatten ----

const FLATTEN_DEF = new ConfigDef().define({
  name: 'delimiter',
  type: 'STRING',
  defaultValue: '.',
  importance: 'MEDIUM',
  documentation:
    'Delimiter to insert between field names from the input record when generating field names for the output record',
});

export class Flatten extends BaseTransform {
  private delimiter = '.';

  config(): ConfigDef {
    return FLATTEN_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.delimiter = v.delimiter as string;
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : `${prefix}${this.delimiter}${field}`;
  }

  private flattenMap(prefix: string, value: Obj, out: Obj): void {
    for (const [k, v] of Object.entries(value)) {
      const name = this.name(prefix, k);
      if (v !== null && isMap(v)) this.flattenMap(name, requireMap(v, 'flattening'), out);
      else out[name] = v;
    }
  }

  private flattenSchema(prefix: string, schema: Schema, optional: boolean, out: { name: string; schema: Schema }[]) {
    for (const f of schema.fields) {
      const name = this.name(prefix, f.name);
      const opt = optional || f.schema.optional;
      if (f.schema.type === 'STRUCT') this.flattenSchema(name, f.schema, opt, out);
      else out.push({ name, schema: opt ? optionalOf(f.schema) : f.schema });
    }
  }

  private flattenStruct(prefix: string, struct: Struct | null, schema: Schema, out: Obj): void {
    for (const f of schema.fields) {
      const name = this.name(prefix, f.name);
      const v = struct === null ? null : struct.get(f.name);
      if (f.schema.type === 'STRUCT') this.flattenStruct(name, v as Struct | null, f.schema, out);
      else out[name] = v;
    }
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    if (schema === null) {
      const out: Obj = {};
      this.flattenMap('', requireMap(value, 'flattening'), out);
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'flattening');
    const outSchema = this.schemaCache.get(schema, () => {
      const fields: { name: string; schema: Schema }[] = [];
      this.flattenSchema('', schema, false, fields);
      return structSchema(schema, fields);
    });
    const values: Obj = {};
    this.flattenStruct('', struct, schema, values);
    return withSide(record, this.side, outSchema, newStruct(outSchema, values));
  }
}

// ---- TimestampConverter ----

const TARGET_TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'];
const PRECISIONS: Record<string, number> = { seconds: 1000, milliseconds: 1, microseconds: 1e-3, nanoseconds: 1e-6 };

const TIMESTAMP_CONVERTER_DEF = new ConfigDef()
  .define({
    name: 'field',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
  })
  .define({
    name: 'target.type',
    type: 'STRING',
    defaultValue: NO_DEFAULT_VALUE,
    validator: Validators.validString(...TARGET_TYPES),
    importance: 'HIGH',
    documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
  })
  .define({
    name: 'format',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
  })
  .define({
    name: 'unix.precision',
    type: 'STRING',
    defaultValue: 'milliseconds',
    validator: Validators.validString(...Object.keys(PRECISIONS)),
    importance: 'LOW',
    documentation:
      'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.',
  });

const MS_PER_DAY = 86_400_000;

export class TimestampConverter extends BaseTransform {
  private field = '';
  private target = 'string';
  private format: SimpleDateFormat | null = null;
  private precision = 1;

  config(): ConfigDef {
    return TIMESTAMP_CONVERTER_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.field = v.field as string;
    this.target = v['target.type'] as string;
    const format = v.format as string;
    if (this.target === 'string' && format.trim() === '') {
      throw new ConfigException(
        'TimestampConverter requires format option to be specified when using string timestamps',
      );
    }
    try {
      this.format = format.trim() === '' ? null : new SimpleDateFormat(format);
    } catch (error) {
      throw new ConfigException(
        'format',
        format,
        `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${(error as Error).message}`,
      );
    }
    this.precision = PRECISIONS[v['unix.precision'] as string]!;
  }

  private toDate(value: unknown): Date {
    if (value instanceof Date) return value;
    if (typeof value === 'number' || typeof value === 'bigint')
      return new Date(Math.trunc(Number(value) * this.precision));
    if (typeof value === 'string') {
      if (this.format === null) {
        throw new DataException(
          'TimestampConverter requires format option to be specified when using string timestamps',
        );
      }
      return this.format.parse(value);
    }
    throw new DataException(`Expected timestamp to be a Long, String or java.util.Date, but found ${javaClass(value)}`);
  }

  private convert(value: unknown): unknown {
    if (value === null || value === undefined) return null;
    const date = this.toDate(value);
    switch (this.target) {
      case 'string':
        return this.format!.format(date);
      case 'unix':
        return Math.trunc(date.getTime() / this.precision);
      case 'Date':
        return new Date(Math.floor(date.getTime() / MS_PER_DAY) * MS_PER_DAY);
      case 'Time':
        return new Date(((date.getTime() % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
      default:
        return date;
    }
  }

  private targetSchema(optional: boolean): Schema {
    const builder =
      this.target === 'string'
        ? null
        : this.target === 'unix'
          ? null
          : this.target === 'Date'
            ? LogicalTypes.date()
            : this.target === 'Time'
              ? LogicalTypes.time()
              : LogicalTypes.timestamp();
    if (builder === null) return new Schema({ type: this.target === 'string' ? 'STRING' : 'INT64', optional });
    return optional ? builder.optional().build() : builder.build();
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    const schema = schemaOf(record, this.side);
    if (this.field === '') {
      return withSide(
        record,
        this.side,
        schema === null ? null : this.targetSchema(schema.optional),
        this.convert(value),
      );
    }
    if (value === null) return record;
    if (schema === null) {
      const out = requireMap(value, 'converting timestamp formats');
      out[this.field] = this.convert(out[this.field] ?? null);
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'converting timestamp formats');
    const outSchema = this.schemaCache.get(schema, () =>
      structSchema(
        schema,
        schema.fields.map((f) => ({
          name: f.name,
          schema: f.name === this.field ? this.targetSchema(f.schema.optional) : f.schema,
        })),
      ),
    );
    const values = structValues(struct);
    values[this.field] = this.convert(values[this.field] ?? null);
    return withSide(record, this.side, outSchema, newStruct(outSchema, values));
  }
}

// ---- InsertHeader, DropHeaders, SetSchemaMetadata ----

const INSERT_HEADER_DEF = new ConfigDef()
  .define({
    name: 'header',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The name of the header.',
  })
  .define({
    name: 'value.literal',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The literal value that is to be set as the header value on all records.',
  });

/** Kafka's InsertHeader: adds a header with a literal (string) value to every record. */
export class InsertHeader implements Transformation {
  private header = '';
  private value = '';
  config(): ConfigDef {
    return INSERT_HEADER_DEF;
  }
  configure(props: Readonly<Record<string, string>>): void {
    const v = INSERT_HEADER_DEF.parse(props);
    this.header = v.header as string;
    this.value = v['value.literal'] as string;
  }
  apply(record: ConnectRecord): ConnectRecord {
    return { ...record, headers: [...(record.headers ?? []), { key: this.header, value: this.value }] };
  }
  close(): void {}
}

const DROP_HEADERS_DEF = new ConfigDef().define({
  name: 'headers',
  type: 'LIST',
  validator: nonEmptyList,
  importance: 'HIGH',
  documentation: 'The name of the headers to be removed.',
});

/** Kafka's DropHeaders: removes every header with one of these names. */
export class DropHeaders implements Transformation {
  private names = new Set<string>();
  config(): ConfigDef {
    return DROP_HEADERS_DEF;
  }
  configure(props: Readonly<Record<string, string>>): void {
    this.names = new Set(DROP_HEADERS_DEF.parse(props).headers as string[]);
  }
  apply(record: ConnectRecord): ConnectRecord {
    return { ...record, headers: (record.headers ?? []).filter((h) => !this.names.has(h.key)) };
  }
  close(): void {}
}

const SET_SCHEMA_METADATA_DEF = new ConfigDef()
  .define({
    name: 'schema.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema name to set.',
  })
  .define({
    name: 'schema.version',
    type: 'INT',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema version to set.',
  });

/** Kafka's SetSchemaMetadata: sets the name and/or version of the key's or value's schema. */
export class SetSchemaMetadata extends BaseTransform {
  private name: string | null = null;
  private version: number | null = null;

  config(): ConfigDef {
    return SET_SCHEMA_METADATA_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.name = (v['schema.name'] as string | null) ?? null;
    this.version = (v['schema.version'] as number | null) ?? null;
    if (this.name === null && this.version === null) {
      throw new ConfigException('Neither schema name nor version configured');
    }
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = schemaOf(record, this.side);
    if (schema === null) throw new DataException(`Schema required for [updating schema metadata]`);
    const outSchema = this.schemaCache.get(
      schema,
      () => new Schema({ ...schema, name: this.name ?? schema.name, version: this.version ?? schema.version }),
    );
    const value = sideValue(record, this.side);
    const outValue = value instanceof Struct ? newStruct(outSchema, structValues(value)) : value;
    return withSide(record, this.side, outSchema, outValue);
  }
}

const P = 'org.apache.kafka.connect.transforms.';

/**
 * Kafka class name → factory. `registerTransformation` adds one (a custom transform, for a worker
 * embedded with `StandaloneHerder`).
 */
export const TRANSFORMATIONS: ReadonlyMap<string, () => Transformation> = new Map<string, () => Transformation>([
  [`${P}InsertHeader`, () => new InsertHeader()],
  [`${P}DropHeaders`, () => new DropHeaders()],
  [`${P}SetSchemaMetadata$Key`, () => new SetSchemaMetadata('key')],
  [`${P}SetSchemaMetadata$Value`, () => new SetSchemaMetadata('value')],
  [`${P}InsertField$Key`, () => new InsertField('key')],
  [`${P}InsertField$Value`, () => new InsertField('value')],
  [`${P}ReplaceField$Key`, () => new ReplaceField('key')],
  [`${P}ReplaceField$Value`, () => new ReplaceField('value')],
  [`${P}MaskField$Key`, () => new MaskField('key')],
  [`${P}MaskField$Value`, () => new MaskField('value')],
  [`${P}ValueToKey`, () => new ValueToKey()],
  [`${P}ExtractField$Key`, () => new ExtractField('key')],
  [`${P}ExtractField$Value`, () => new ExtractField('value')],
  [`${P}HoistField$Key`, () => new HoistField('key')],
  [`${P}HoistField$Value`, () => new HoistField('value')],
  [`${P}Cast$Key`, () => new Cast('key')],
  [`${P}Cast$Value`, () => new Cast('value')],
  [`${P}RegexRouter`, () => new RegexRouter()],
  [`${P}TimestampRouter`, () => new TimestampRouter()],
  [`${P}Filter`, () => new Filter()],
  [`${P}Flatten$Key`, () => new Flatten('key')],
  [`${P}Flatten$Value`, () => new Flatten('value')],
  [`${P}TimestampConverter$Key`, () => new TimestampConverter('key')],
  [`${P}TimestampConverter$Value`, () => new TimestampConverter('value')],
]);

/** Makes a custom transformation available under `className` in `transforms.<alias>.type`. */
export function registerTransformation(className: string, factory: () => Transformation): void {
  (TRANSFORMATIONS as Map<string, () => Transformation>).set(className, factory);
}
