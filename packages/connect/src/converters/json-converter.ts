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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * `org.apache.kafka.connect.json.JsonConverter`. With `schemas.enable=true` (the default) every
 * message is Kafka's envelope `{"schema":…,"payload":…}`, keys in Kafka's order (type, fields,
 * optional, name, version, doc, default; a field's schema then `"field"`), so the bytes equal
 * what a Java worker writes. With `false` the payload alone, as plain JSON. BYTES are base64,
 * INT64 values beyond 2^53 are written as exact integers (bigint).
 */
export class JsonConverter implements Converter {
  static readonly CLASS = 'org.apache.kafka.connect.json.JsonConverter';
  private schemasEnabled = true;

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
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const payload = convertToJson(schema, value);
    const text = this.schemasEnabled
      ? `{"schema":${stringify(schema === null ? null : asJsonSchema(schema))},"payload":${payload}}`
      : payload;
    return Buffer.from(text, 'utf8');
  }

  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null) return { schema: null, value: null };
    let json: Json;
    try {
      json = JSON.parse(bytes.toString('utf8'), (_k, v, ctx?: { source?: string }) =>
        typeof v === 'number' && !Number.isSafeInteger(v) && ctx?.source !== undefined && /^-?\d+$/.test(ctx.source)
          ? BigInt(ctx.source)
          : v,
      ) as Json;
    } catch (error) {
      throw new DataException(
        `Converting byte[] to Kafka Connect data failed due to serialization error: ${(error as Error).message}`,
      );
    }
    if (!this.schemasEnabled) return { schema: null, value: fromJsonSchemaless(json) };
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
      value:
        schema === null ? fromJsonSchemaless(json.payload ?? null) : convertToConnect(schema, json.payload ?? null),
    };
  }
}

/** Kafka's asJsonSchema: the JSON form of a schema, keys in Kafka's order. */
export function asJsonSchema(schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = { type: JSON_TYPE_OF[schema.type] };
  if (schema.type === 'STRUCT') {
    out.fields = schema.fields.map((f: Field) => ({ ...asJsonSchema(f.schema), field: f.name }));
  } else if (schema.type === 'ARRAY' && schema.valueSchema !== null) {
    out.items = asJsonSchema(schema.valueSchema);
  } else if (schema.type === 'MAP' && schema.keySchema !== null && schema.valueSchema !== null) {
    out.keys = asJsonSchema(schema.keySchema);
    out.values = asJsonSchema(schema.valueSchema);
  }
  out.optional = schema.optional;
  if (schema.name !== null) out.name = schema.name;
  if (schema.version !== null) out.version = schema.version;
  if (schema.doc !== null) out.doc = schema.doc;
  if (schema.parameters !== null) out.parameters = { ...schema.parameters };
  if (schema.defaultValue !== null) out.default = new RawJson(convertToJson(schema, schema.defaultValue));
  return out;
}

function asConnectSchema(json: Json): Schema {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new DataException('Schema must be an object');
  const typeName = json.type;
  const type = typeof typeName === 'string' ? SCHEMA_TYPE_OF.get(typeName) : undefined;
  if (type === undefined) throw new DataException(`Unknown schema type: ${String(typeName)}`);
  const fields: Field[] = [];
  if (type === 'STRUCT') {
    if (!Array.isArray(json.fields)) throw new DataException('Struct schema\'s "fields" argument is not an array.');
    for (const f of json.fields) {
      if (f === null || typeof f !== 'object' || Array.isArray(f) || typeof f.field !== 'string') {
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
function convertToJson(schema: Schema | null, value: unknown): string {
  if (value === null || value === undefined) {
    if (schema === null) return 'null';
    if (schema.defaultValue !== null) return convertToJson(schema, schema.defaultValue);
    if (schema.optional) return 'null';
    throw new DataException('Conversion error: null value for field that is required and has no default value');
  }
  if (schema === null) return inferJson(value);
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
      if (Array.isArray(value)) return `[${value.map((v) => convertToJson(schema.valueSchema, v)).join(',')}]`;
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
        return `{${entries.map(([k, v]) => `${JSON.stringify(String(k))}:${convertToJson(schema.valueSchema, v)}`).join(',')}}`;
      }
      return `[${entries.map(([k, v]) => `[${convertToJson(schema.keySchema, k)},${convertToJson(schema.valueSchema, v)}]`).join(',')}]`;
    }
    case 'STRUCT':
      if (value instanceof Struct) {
        return `{${schema.fields.map((f) => `${JSON.stringify(f.name)}:${convertToJson(f.schema, value.get(f.name))}`).join(',')}}`;
      }
      break;
  }
  throw new DataException(`Invalid type for ${schema.type}: ${typeof value}`);
}

function inferJson(value: unknown): string {
  if (value instanceof Struct) return convertToJson(value.schema, value);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return inferJson(Object.fromEntries(value));
  if (Array.isArray(value)) return `[${value.map(inferJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${inferJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fromJsonSchemaless(json: Json | bigint): unknown {
  return json;
}

function convertToConnect(schema: Schema, json: Json | bigint): unknown {
  return fromPhysical(schema, convertPhysical(schema, json));
}

function convertPhysical(schema: Schema, json: Json | bigint): unknown {
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
