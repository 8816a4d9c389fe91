import { BigDecimal } from './big-decimal.js';
import { DataException } from './data-exception.js';
import type { Schema } from './schema.js';

/**
 * Connect's Decimal logical type (`org.apache.kafka.connect.data.Decimal`): a BYTES schema with
 * the parameter `scale`, whose values are `BigDecimal`s of exactly that scale, stored as the
 * unscaled value in big-endian two's complement. Build the schema with `LogicalTypes.decimal(scale)`.
 */
export const Decimal = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Decimal',
  SCALE_FIELD: 'scale',

  /** The schema's `scale` parameter, with Kafka's messages when it is missing or not a number. */
  scale(schema: Schema): number {
    const text = schema.parameters?.[Decimal.SCALE_FIELD];
    if (text === undefined) throw new DataException('Invalid Decimal schema: scale parameter not found.');
    if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
      throw new DataException(`Invalid scale parameter found in Decimal schema: For input string: "${text}"`);
    return Number(text);
  },

  /** A BigDecimal to its bytes; its scale must be the schema's (no silent rounding). */
  fromLogical(schema: Schema, value: BigDecimal): Buffer {
    const schemaScale = Decimal.scale(schema);
    if (value.scale !== schemaScale) {
      throw new DataException(
        `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${schemaScale}, value has scale ${value.scale}.`,
      );
    }
    return value.toTwosComplement();
  },

  toLogical(schema: Schema, bytes: Uint8Array): BigDecimal {
    return BigDecimal.fromTwosComplement(bytes, Decimal.scale(schema));
  },
} as const;
