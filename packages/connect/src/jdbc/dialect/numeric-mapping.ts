import { type Schema, SchemaBuilder, type SchemaType } from '../../data/schema.js';
import type { NumericMapping } from './database-dialect.js';

/**
 * Confluent's `numeric.mapping` for a NUMERIC/DECIMAL column. This runtime has no Decimal logical
 * type yet, so where Confluent writes a Decimal (`none`, and the cases the other mappings leave to
 * Decimal) the value is a STRING holding the exact decimal text the database returned.
 * `precision_only`: scale 0 and precision ≤ 18 → the smallest integer type that holds it;
 * `best_fit`: that, or FLOAT64 when scale > 0 and precision ≤ 15; `best_fit_eager_double`: FLOAT64
 * for every scale > 0. An unconstrained NUMERIC (no precision) is always a STRING.
 */
export function numericSchemaType(precision: number | null, scale: number | null, mapping: NumericMapping): SchemaType {
  // An unconstrained NUMERIC has no precision to fit: its exact text.
  if (mapping === 'none' || precision === null) return 'STRING';
  const s = scale ?? 0;
  if (s === 0 && precision < 19) {
    if (precision > 9) return 'INT64';
    if (precision > 4) return 'INT32';
    if (precision > 2) return 'INT16';
    return 'INT8';
  }
  if (mapping === 'precision_only') return 'STRING';
  if (s > 0 && (mapping === 'best_fit_eager_double' || precision <= 15)) return 'FLOAT64';
  return 'STRING';
}

export function schemaOf(type: SchemaType, optional: boolean): Schema {
  const builder = new SchemaBuilder(type);
  if (optional) builder.optional();
  return builder.build();
}

/** The decimal text of a NUMERIC value as the Connect type `numericSchemaType` chose. */
export function numericValue(type: SchemaType, text: string): unknown {
  switch (type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return Number(text);
    case 'INT64': {
      const big = BigInt(text);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    case 'FLOAT64':
      return Number(text);
    default:
      return text;
  }
}
