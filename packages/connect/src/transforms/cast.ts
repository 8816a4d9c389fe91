import { ConfigDef, ConfigException } from '../config/config-def.js';
import { BigDecimal } from '../data/big-decimal.js';
import { DataException, Schema, type SchemaType, Struct } from '../data/schema.js';
import {
  BaseTransform,
  javaClass,
  NUMERIC,
  requireMap,
  requireStruct,
  schemaOf,
  sideValue,
  structSchema,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

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

/** Java's `Number.longValue()` of a BigDecimal: the fraction dropped, the low 64 bits kept. */
function decimalLong(value: BigDecimal): bigint {
  const integral =
    value.scale >= 0 ? value.unscaled / 10n ** BigInt(value.scale) : value.unscaled * 10n ** BigInt(-value.scale);
  return BigInt.asIntN(64, integral);
}

function castValue(value: unknown, type: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof BigDecimal) return castDecimal(value, type);
  if (value instanceof Uint8Array) {
    // As Kafka: bytes cast to string only, as base64.
    if (type === 'STRING') return Buffer.from(value).toString('base64');
    throw new DataException(`Unexpected type in Cast transformation: class [B`);
  }
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

/** A Decimal cast as Java's Number conversions do (`intValue()` truncates, then wraps). */
function castDecimal(value: BigDecimal, type: SchemaType): unknown {
  switch (type) {
    case 'INT8':
      return Number(BigInt.asIntN(8, decimalLong(value)));
    case 'INT16':
      return Number(BigInt.asIntN(16, decimalLong(value)));
    case 'INT32':
      return Number(BigInt.asIntN(32, decimalLong(value)));
    case 'INT64': {
      const long = decimalLong(value);
      return Number.isSafeInteger(Number(long)) ? Number(long) : long;
    }
    case 'FLOAT32':
      return Math.fround(value.toNumber());
    case 'FLOAT64':
      return value.toNumber();
    case 'BOOLEAN':
      return decimalLong(value) !== 0n;
    case 'STRING':
      return value.toString();
    default:
      throw new DataException(`Cannot cast to ${type}`);
  }
}

function primitiveSchema(type: SchemaType, optional: boolean): Schema {
  return new Schema({ type, optional });
}

/**
 * Kafka's Cast (`$Key`/`$Value`): casts primitive fields, or the whole primitive value, to another
 * primitive type (`spec` = `field:type,…` or one type); narrowing wraps as Java's casts do.
 */
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
      if (
        schema !== null &&
        !(NUMERIC.has(schema.type) || schema.type === 'STRING' || schema.type === 'BOOLEAN' || schema.type === 'BYTES')
      ) {
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
