import { ConfigDef } from '../config/config-def.js';
import { DataException } from '../data/schema.js';
import { BaseTransform, requireMap, requireStruct, schemaOf, sideValue, withSide } from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const EXTRACT_FIELD_DEF = new ConfigDef().define({
  name: 'field',
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name to extract.',
});

/** Kafka's ExtractField (`$Key`/`$Value`): replaces the key or value with one of its top-level fields. */
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
