import { ConfigDef, ConfigException, NO_DEFAULT_VALUE, Validators } from '../config/config-def.js';
import { DataException, LogicalTypes, Schema } from '../data/schema.js';
import { SimpleDateFormat } from './simple-date-format.js';
import {
  BaseTransform,
  javaClass,
  newStruct,
  requireMap,
  requireStruct,
  schemaOf,
  sideValue,
  structSchema,
  structValues,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

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

/**
 * Kafka's TimestampConverter (`$Key`/`$Value`): converts a timestamp field (or the whole value)
 * between string, unix, Date, Time and Timestamp.
 */
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
