/**
 * fast-check arbitraries derived from a schema table: for a message and a version, values that
 * set exactly the fields present in that version (nulls only where the version allows them), and
 * the value a decoder must return for them (absent fields at their defaults).
 */
import fc from 'fast-check';
import { ZERO_UUID } from '../../src/primitives/uuid.js';
import { type FieldSpec, type MessageSpec, PRIMITIVE_TYPES, parseVersionRange } from '../../src/schema/dsl.js';

function inRange(text: string | undefined, v: number): boolean {
  if (text === undefined) return false;
  const r = parseVersionRange(text);
  return r !== undefined && v >= r.min && v <= r.max;
}

export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function primitive(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'uint32':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double({ noNaN: true });
    case 'string':
      return fc.string({ maxLength: 12, unit: 'grapheme' });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a));
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a).toString('base64url'));
    default:
      throw new Error(`not a primitive: ${type}`);
  }
}

export class SchemaArbitrary {
  private readonly common: Map<string, readonly FieldSpec[]>;

  constructor(private readonly spec: MessageSpec) {
    this.common = new Map((spec.commonStructs ?? []).map((s) => [s.name, s.fields]));
  }

  message(v: number): fc.Arbitrary<Record<string, unknown>> {
    return this.struct(this.spec.fields, v, 0);
  }

  private structFields(field: FieldSpec): readonly FieldSpec[] {
    const base = field.type.startsWith('[]') ? field.type.slice(2) : field.type;
    const fields = field.fields ?? this.common.get(base);
    if (fields === undefined) throw new Error(`unknown struct ${base}`);
    return fields;
  }

  private struct(fields: readonly FieldSpec[], v: number, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) {
      if (!inRange(field.versions, v)) continue;
      record[camel(field.name)] = this.value(field, v, depth);
    }
    return fc.record(record) as fc.Arbitrary<Record<string, unknown>>;
  }

  private value(field: FieldSpec, v: number, depth: number): fc.Arbitrary<unknown> {
    const nullable = inRange(field.nullableVersions, v);
    let arb: fc.Arbitrary<unknown>;
    if (field.type.startsWith('[]')) {
      const base = field.type.slice(2);
      const element = PRIMITIVE_TYPES.has(base) ? primitive(base) : this.struct(this.structFields(field), v, depth + 1);
      arb = fc.array(element, { maxLength: depth > 2 ? 1 : 3 });
    } else if (PRIMITIVE_TYPES.has(field.type)) {
      arb = primitive(field.type);
    } else {
      arb = this.struct(this.structFields(field), v, depth + 1);
    }
    return nullable ? fc.option(arb, { nil: null, freq: 4 }) : arb;
  }

  /** Kafka's implicit or declared default of a field, as the generated decoder returns it. */
  defaultOf(field: FieldSpec): unknown {
    const d = field.default;
    const isNull = d === null || d === 'null';
    if (field.type.startsWith('[]')) return isNull ? null : [];
    switch (field.type) {
      case 'bool':
        return d === true || d === 'true';
      case 'int64':
        return d === undefined ? 0n : BigInt(d as number);
      case 'string':
        return isNull ? null : d === undefined ? '' : String(d);
      case 'bytes':
        return isNull ? null : Buffer.alloc(0);
      case 'records':
        return field.nullableVersions !== undefined ? null : Buffer.alloc(0);
      case 'uuid':
        return ZERO_UUID;
      default:
        if (PRIMITIVE_TYPES.has(field.type)) return d === undefined ? 0 : Number(d);
        if (isNull) return null;
        return this.defaultStruct(this.structFields(field));
    }
  }

  private defaultStruct(fields: readonly FieldSpec[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of fields) out[camel(field.name)] = this.defaultOf(field);
    return out;
  }

  /**
   * What decoding the encoding of `value` at version `v` must yield: the value itself for fields
   * present in `v`, defaults for the others (structs are compared field by field).
   */
  expected(
    value: Record<string, unknown>,
    v: number,
    fields: readonly FieldSpec[] = this.spec.fields,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const name = camel(field.name);
      if (!inRange(field.versions, v)) {
        out[name] = this.defaultOf(field);
        continue;
      }
      const x = value[name];
      const base = field.type.startsWith('[]') ? field.type.slice(2) : field.type;
      if (x === null || PRIMITIVE_TYPES.has(base)) out[name] = x;
      else if (field.type.startsWith('[]')) {
        out[name] = (x as Record<string, unknown>[]).map((e) => this.expected(e, v, this.structFields(field)));
      } else out[name] = this.expected(x as Record<string, unknown>, v, this.structFields(field));
    }
    return out;
  }
}

/** Every field of every struct, recursively, so a comparison can ignore extra decoder keys. */
export function stripUnknownTagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUnknownTagged);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '_unknownTaggedFields') out[k] = stripUnknownTagged(v);
    return out;
  }
  return value;
}
