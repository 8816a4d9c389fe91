import { BigDecimal } from '../../data/big-decimal.js';
import { Decimal } from '../../data/decimal.js';
import { LogicalTypes, type Schema, SchemaBuilder, type SchemaType } from '../../data/schema.js';
import type { NumericMapping } from './database-dialect.js';

/** Confluent's schema parameter with a NUMERIC column's declared precision. */
export const DECIMAL_PRECISION_PARAMETER = 'connect.decimal.precision';
/**
 * The scale of a Decimal from a NUMERIC column declared without one: Confluent's
 * NUMERIC_TYPE_SCALE_HIGH, which PostgreSqlDatabaseDialect uses for an unconstrained NUMERIC so
 * that `12.12` is not cut to `12`.
 */
export const UNCONSTRAINED_DECIMAL_SCALE = 127;

/** What a NUMERIC/DECIMAL column becomes: an integer or FLOAT64 type, or the Decimal logical type. */
export type NumericType = 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT64' | 'DECIMAL';

/**
 * Confluent's `numeric.mapping` for a NUMERIC/DECIMAL column; where a mapping does not apply it
 * falls through to Decimal, as Confluent's `case Types.NUMERIC` falls through to `Types.DECIMAL`.
 * `none`: Decimal. `precision_only`: scale 0 and precision ≤ 18 → the smallest integer type
 * that holds it. `best_fit`: precision ≤ 18 → that integer type for scale 0, FLOAT64 for scale
 * > 0. `best_fit_eager_double`: that integer type, and FLOAT64 for any scale > 0.
 * An unconstrained NUMERIC (no precision) is always a Decimal: pgjdbc reports it as precision 0,
 * which would make Confluent's integer branches pick INT8 and truncate every value.
 */
export function numericSchemaType(
  precision: number | null,
  scale: number | null,
  mapping: NumericMapping,
): NumericType {
  if (mapping === 'none' || precision === null) return 'DECIMAL';
  const s = scale ?? 0;
  const integer = (): NumericType =>
    precision > 9 ? 'INT64' : precision > 4 ? 'INT32' : precision > 2 ? 'INT16' : 'INT8';
  switch (mapping) {
    case 'precision_only':
      return s === 0 && precision <= 18 ? integer() : 'DECIMAL';
    case 'best_fit':
      if (precision > 18) return 'DECIMAL';
      return s > 0 ? 'FLOAT64' : integer();
    case 'best_fit_eager_double':
      if (s > 0) return 'FLOAT64';
      return precision <= 18 ? integer() : 'DECIMAL';
  }
}

/** The Connect schema of a NUMERIC/DECIMAL column: Decimal carries the scale and Confluent's precision parameter. */
export function numericSchema(
  precision: number | null,
  scale: number | null,
  mapping: NumericMapping,
  optional: boolean,
): Schema {
  const type = numericSchemaType(precision, scale, mapping);
  const builder =
    type === 'DECIMAL'
      ? LogicalTypes.decimal(precision === null ? UNCONSTRAINED_DECIMAL_SCALE : (scale ?? 0)).parameter(
          DECIMAL_PRECISION_PARAMETER,
          String(precision ?? 0),
        )
      : new SchemaBuilder(type);
  if (optional) builder.optional();
  return builder.build();
}

export function schemaOf(type: SchemaType, optional: boolean): Schema {
  const builder = new SchemaBuilder(type);
  if (optional) builder.optional();
  return builder.build();
}

/**
 * A NUMERIC value from the driver (exact decimal text from pg; a bigint, a number or text from
 * SQLite) as the Connect value of `schema`. A Decimal is parsed from the text, never through a
 * JS number, and brought to the schema's scale as JDBC's `getBigDecimal(column, scale)` does.
 */
export function numericValue(schema: Schema, value: string | number | bigint): unknown {
  if (schema.name === Decimal.LOGICAL_NAME) {
    const exact =
      typeof value === 'bigint'
        ? new BigDecimal(value, 0)
        : typeof value === 'number'
          ? BigDecimal.fromNumber(value)
          : BigDecimal.parse(value);
    return rescaleHalfUp(exact, Decimal.scale(schema));
  }
  const text = String(value);
  switch (schema.type) {
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

/**
 * `value` with `scale` digits after the point: padded with zeros, or rounded half away from zero
 * (Java's HALF_UP) when it has more, which a constrained column never has.
 */
export function rescaleHalfUp(value: BigDecimal, scale: number): BigDecimal {
  if (scale >= value.scale) return value.setScale(scale);
  const divisor = 10n ** BigInt(value.scale - scale);
  let quotient = value.unscaled / divisor;
  const remainder = value.unscaled % divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= divisor) quotient += value.unscaled < 0n ? -1n : 1n;
  return new BigDecimal(quotient, scale);
}
