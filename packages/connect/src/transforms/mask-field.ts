import { ConfigDef, Validators } from '../config/config-def.js';
import { BigDecimal } from '../data/big-decimal.js';
import { DataException, type SchemaType, Struct } from '../data/schema.js';
import {
  BaseTransform,
  javaClass,
  NUMERIC,
  nonEmptyList,
  requireMap,
  requireStruct,
  schemaOf,
  sideValue,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

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

/**
 * Kafka's MaskField (`$Key`/`$Value`): replaces fields with the empty value of their type, or
 * with `replacement` for strings and numbers.
 */
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
