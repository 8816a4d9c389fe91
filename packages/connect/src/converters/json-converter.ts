import { BigDecimal } from '../data/big-decimal.js';
import { Decimal } from '../data/decimal.js';
import {
  DataException,
  type Field,
  fromPhysical,
  Schema,
  type SchemaAndValue,
  type SchemaType,
  Struct,
  toPhysical,
} from '../data/schema.js';
import type { Converter } from './converter.js';
import { JsonNumberText, type LosslessJson, parseLosslessJson, toPlainJson } from './lossless-json.js';

const JSON_TYPE_OF: Readonly<Record<SchemaType, string>> = {
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BOOLEAN: 'boolean',
  STRING: 'string',
  BYTES: 'bytes',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
};
const SCHEMA_TYPE_OF = new Map(Object.entries(JSON_TYPE_OF).map(([k, v]) => [v, k as SchemaType]));

type Json = LosslessJson | bigint;

/** KIP-481's `decimal.format`: how Decimal values are written (both are read). */
export type DecimalFormat = 'BASE64' | 'NUMERIC';
const DECIMAL_FORMATS: readonly DecimalFormat[] = ['BASE64', 'NUMERIC'];

/**
 * `org.apache.kafka.connect.json.JsonConverter`. With `schemas.enable=true` (the default) every
 * message is Kafka's envelope `{"schema":…,"payload":…}`, keys in Kafka's order (type, fields,
 * optional, name, version, doc, default; a field's schema then `"field"`), so the bytes equal
 * what a Java worker writes. With `false` the payload alone, as plain JSON. BYTES are base64,
 * INT64 values beyond 2^53 are written as exact integers (bigint). Decimal values (`BigDecimal`)
 * are base64 of their two's-complement bytes, or JSON numbers with `decimal.format=NUMERIC`
 * (written as Java's `BigDecimal.toString()`, so `1.5600` keeps its zeros); either form is read.
 */
export class JsonConverter implements Converter {
  static readonly CLASS = 'org.apache.kafka.connect.json.JsonConverter';
  private schemasEnabled = true;
  private decimalFormat: DecimalFormat = 'BASE64';

  configure(configs: Readonly<Record<string, string>>, _isKey = false): void {
    const raw = configs['schemas.enable'];
    if (raw !== undefined) {
      const v = raw.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') {
        throw new DataException(
          `Invalid value ${raw} for configuration schemas.enable: Expected value to be either true or false`,
        );
      }
      this.schemasEnabled = v === 'true';
    }
    const format = configs['decimal.format'];
    if (format !== undefined) {
      const upper = format.toUpperCase() as DecimalFormat;
      if (!DECIMAL_FORMATS.includes(upper)) {
        throw new DataException(
          `Invalid value ${format} for configuration decimal.format: String must be one of (case insensitive): BASE64, NUMERIC`,
        );
      }
      this.decimalFormat = upper;
    }
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const payload = convertToJson(schema, value, this.decimalFormat);
    const text = this.schemasEnabled
      ? `{"schema":${stringify(schema === null ? null : asJsonSchema(schema, this.decimalFormat))},"payload":${payload}}`
      : payload;
    return Buffer.from(text, 'utf8');
  }

  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null) return { schema: null, value: null };
    let json: Json;
    let lossless = false;
    try {
      const text = bytes.toString('utf8');
      // Decimals need their digits as written; other messages take the fast path.
      lossless = text.includes(Decimal.LOGICAL_NAME);
      json = lossless
        ? parseLosslessJson(text)
        : (JSON.parse(text, (_k, v, ctx?: { source?: string }) =>
            typeof v === 'number' && !Number.isSafeInteger(v) && ctx?.source !== undefined && /^-?\d+$/.test(ctx.source)
              ? BigInt(ctx.source)
              : v,
          ) as Json);
    } catch (error) {
      throw new DataException(
        `Converting byte[] to Kafka Connect data failed due to serialization error: ${(error as Error).message}`,
      );
    }
    const schemaless = (payload: Json): unknown => (lossless ? toPlainJson(payload as LosslessJson) : payload);
    if (!this.schemasEnabled) return { schema: null, value: schemaless(json) };
    if (
      json === null ||
      typeof json !== 'object' ||
      Array.isArray(json) ||
      Object.keys(json).length !== 2 ||
      !('schema' in json) ||
      !('payload' in json)
    ) {
      throw new DataException(
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      );
    }
    const schema = json.schema === null ? null : asConnectSchema(json.schema);
    return {
      schema,
      value: schema === null ? schemaless(json.payload ?? null) : convertToConnect(schema, json.payload ?? null),
    };
  }
}

/**
 * Kafka's asJsonSchema: the JSON form of a schema, keys in Kafka's order. A default value is
 * written as a payload would be (so a Decimal default follows `decimalFormat`).
 */
export function asJsonSchema(schema: Schema, decimalFormat: DecimalFormat = 'BASE64'): Record<string, unknown> {
  const out: Record<string, unknown> = { type: JSON_TYPE_OF[schema.type] };
  if (schema.type === 'STRUCT') {
    out.fields = schema.fields.map((f: Field) => ({ ...asJsonSchema(f.schema, decimalFormat), field: f.name }));
  } else if (schema.type === 'ARRAY' && schema.valueSchema !== null) {
    out.items = asJsonSchema(schema.valueSchema, decimalFormat);
  } else if (schema.type === 'MAP' && schema.keySchema !== null && schema.valueSchema !== null) {
    out.keys = asJsonSchema(schema.keySchema, decimalFormat);
    out.values = asJsonSchema(schema.valueSchema, decimalFormat);
  }
  out.optional = schema.optional;
  if (schema.name !== null) out.name = schema.name;
  if (schema.version !== null) out.version = schema.version;
  if (schema.doc !== null) out.doc = schema.doc;
  if (schema.parameters !== null) out.parameters = { ...schema.parameters };
  if (schema.defaultValue !== null)
    out.default = new RawJson(convertToJson(schema, schema.defaultValue, decimalFormat));
  return out;
}

function asConnectSchema(json: Json): Schema {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || json instanceof JsonNumberText)
    throw new DataException('Schema must be an object');
  const typeName = json.type;
  const type = typeof typeName === 'string' ? SCHEMA_TYPE_OF.get(typeName) : undefined;
  if (type === undefined) throw new DataException(`Unknown schema type: ${String(typeName)}`);
  const fields: Field[] = [];
  if (type === 'STRUCT') {
    if (!Array.isArray(json.fields)) throw new DataException('Struct schema\'s "fields" argument is not an array.');
    for (const f of json.fields) {
      if (
        f === null ||
        typeof f !== 'object' ||
        Array.isArray(f) ||
        f instanceof JsonNumberText ||
        typeof f.field !== 'string'
      ) {
        throw new DataException("Struct schema's field name not specified properly");
      }
      fields.push({ name: f.field, index: fields.length, schema: asConnectSchema(f) });
    }
  }
  const base = new Schema({
    type,
    optional: json.optional === true,
    name: typeof json.name === 'string' ? json.name : null,
    version: typeof json.version === 'number' ? json.version : null,
    doc: typeof json.doc === 'string' ? json.doc : null,
    parameters:
      json.parameters !== null && typeof json.parameters === 'object' && !Array.isArray(json.parameters)
        ? Object.fromEntries(Object.entries(json.parameters).map(([k, v]) => [k, String(v)]))
        : null,
    fields,
    keySchema: type === 'MAP' && json.keys !== undefined ? asConnectSchema(json.keys) : null,
    valueSchema:
      type === 'ARRAY' && json.items !== undefined
        ? asConnectSchema(json.items)
        : type === 'MAP' && json.values !== undefined
          ? asConnectSchema(json.values)
          : null,
  });
  if (json.default === undefined || json.default === null) return base;
  return new Schema({ ...base, defaultValue: convertToConnect(base, json.default) });
}

/** A JSON text already serialized, spliced as-is by `stringify`. */
class RawJson {
  constructor(readonly text: string) {}
}

function stringify(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The JSON text of a value under `schema` (or inferred when schema is null). */
function convertToJson(schema: Schema | null, value: unknown, decimalFormat: DecimalFormat): string {
  if (value === null || value === undefined) {
    if (schema === null) return 'null';
    if (schema.defaultValue !== null) return convertToJson(schema, schema.defaultValue, decimalFormat);
    if (schema.optional) return 'null';
    throw new DataException('Conversion error: null value for field that is required and has no default value');
  }
  if (schema === null) return inferJson(value, decimalFormat);
  if (schema.name === Decimal.LOGICAL_NAME) {
    if (!(value instanceof BigDecimal))
      throw new DataException(`Invalid type for Decimal, expected BigDecimal but was ${javaClassOf(value)}`);
    // NUMERIC writes the value as it is, whatever its scale (as Jackson's DecimalNode).
    if (decimalFormat === 'NUMERIC') return value.toString();
  }
  value = toPhysical(schema, value);
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && Number.isInteger(value)) return String(value);
      break;
    case 'FLOAT32':
    case 'FLOAT64':
      if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
      break;
    case 'BOOLEAN':
      if (typeof value === 'boolean') return String(value);
      break;
    case 'STRING':
      if (typeof value === 'string') return JSON.stringify(value);
      break;
    case 'BYTES':
      if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
      break;
    case 'ARRAY':
      if (Array.isArray(value))
        return `[${value.map((v) => convertToJson(schema.valueSchema, v, decimalFormat)).join(',')}]`;
      break;
    case 'MAP': {
      const entries =
        value instanceof Map
          ? [...value.entries()]
          : typeof value === 'object' && value !== null
            ? Object.entries(value)
            : undefined;
      if (entries === undefined) break;
      if (schema.keySchema?.type === 'STRING') {
        return `{${entries.map(([k, v]) => `${JSON.stringify(String(k))}:${convertToJson(schema.valueSchema, v, decimalFormat)}`).join(',')}}`;
      }
      return `[${entries.map(([k, v]) => `[${convertToJson(schema.keySchema, k, decimalFormat)},${convertToJson(schema.valueSchema, v, decimalFormat)}]`).join(',')}]`;
    }
    case 'STRUCT':
      if (value instanceof Struct) {
        return `{${schema.fields.map((f) => `${JSON.stringify(f.name)}:${convertToJson(f.schema, value.get(f.name), decimalFormat)}`).join(',')}}`;
      }
      break;
  }
  throw new DataException(`Invalid type for ${schema.type}: ${typeof value}`);
}

/** Java's `value.getClass()` as Kafka's messages print it. */
function javaClassOf(value: unknown): string {
  if (typeof value === 'string') return 'class java.lang.String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'class java.lang.Integer' : 'class java.lang.Double';
  if (typeof value === 'bigint') return 'class java.lang.Long';
  if (typeof value === 'boolean') return 'class java.lang.Boolean';
  if (value instanceof Uint8Array) return 'class [B';
  if (value instanceof Date) return 'class java.util.Date';
  if (value instanceof BigDecimal) return 'class java.math.BigDecimal';
  return 'class java.util.HashMap';
}

function inferJson(value: unknown, decimalFormat: DecimalFormat): string {
  if (value instanceof Struct) return convertToJson(value.schema, value, decimalFormat);
  // Kafka infers a schema from the Java class, and BigDecimal has none without a Decimal schema.
  if (value instanceof BigDecimal)
    throw new DataException(`Java class ${javaClassOf(value)} does not have corresponding schema type.`);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return inferJson(Object.fromEntries(value), decimalFormat);
  if (Array.isArray(value)) return `[${value.map((v) => inferJson(v, decimalFormat)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${inferJson(v, decimalFormat)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function convertToConnect(schema: Schema, json: Json): unknown {
  if (schema.name === Decimal.LOGICAL_NAME && json !== null) return decimalFromJson(schema, json);
  return fromPhysical(schema, convertPhysical(schema, json instanceof JsonNumberText ? json.toJsValue() : json));
}

/** Jackson's node type names, for Kafka's messages. */
function nodeType(json: Json): string {
  if (json === null) return 'NULL';
  if (Array.isArray(json)) return 'ARRAY';
  if (typeof json === 'object' && !(json instanceof JsonNumberText)) return 'OBJECT';
  if (typeof json === 'string') return 'STRING';
  if (typeof json === 'boolean') return 'BOOLEAN';
  return 'NUMBER';
}

/**
 * A Decimal payload in either form, as Kafka reads it whatever `decimal.format` says: a JSON
 * number is taken with the scale it is written with (`1.5600` → scale 4), base64 text as the
 * two's-complement unscaled value with the schema's scale.
 */
function decimalFromJson(schema: Schema, json: Json): BigDecimal {
  if (json instanceof JsonNumberText) return BigDecimal.parse(json.text);
  if (typeof json === 'number' || typeof json === 'bigint') return BigDecimal.parse(String(json));
  if (typeof json === 'string') {
    try {
      return Decimal.toLogical(schema, Buffer.from(json, 'base64'));
    } catch (error) {
      throw new DataException(`Invalid bytes for Decimal field: ${(error as Error).message}`);
    }
  }
  throw new DataException(
    `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(json)}`,
  );
}

function convertPhysical(schema: Schema, json: Json): unknown {
  if (json === null) {
    if (schema.defaultValue !== null) return schema.defaultValue;
    if (schema.optional) return null;
    throw new DataException(`Invalid null value for required ${schema.type} field`);
  }
  const bad = (): never => {
    throw new DataException(`Invalid type for ${schema.type}: ${typeof json}`);
  };
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return typeof json === 'number' && Number.isInteger(json) ? json : bad();
    case 'INT64':
      return typeof json === 'bigint' || (typeof json === 'number' && Number.isInteger(json)) ? json : bad();
    case 'FLOAT32':
    case 'FLOAT64':
      return typeof json === 'number' ? json : bad();
    case 'BOOLEAN':
      return typeof json === 'boolean' ? json : bad();
    case 'STRING':
      return typeof json === 'string' ? json : bad();
    case 'BYTES':
      return typeof json === 'string' ? Buffer.from(json, 'base64') : bad();
    case 'ARRAY':
      return Array.isArray(json) && schema.valueSchema !== null
        ? json.map((v) => convertToConnect(schema.valueSchema!, v))
        : bad();
    case 'MAP': {
      if (schema.keySchema === null || schema.valueSchema === null) return bad();
      const out = new Map<unknown, unknown>();
      if (Array.isArray(json)) {
        for (const pair of json) {
          if (!Array.isArray(pair) || pair.length !== 2) bad();
          const [k, v] = pair as [Json, Json];
          out.set(convertToConnect(schema.keySchema, k), convertToConnect(schema.valueSchema, v));
        }
      } else if (typeof json === 'object') {
        for (const [k, v] of Object.entries(json)) out.set(k, convertToConnect(schema.valueSchema, v));
      } else bad();
      return out;
    }
    case 'STRUCT': {
      if (typeof json !== 'object' || Array.isArray(json)) return bad();
      const struct = new Struct(schema);
      for (const f of schema.fields)
        struct.put(f.name, convertToConnect(f.schema, (json as Record<string, Json>)[f.name] ?? null));
      return struct;
    }
  }
}
