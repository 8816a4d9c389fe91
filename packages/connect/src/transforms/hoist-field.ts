import { ConfigDef } from '../config/config-def.js';
import { Struct } from '../data/schema.js';
import { BaseTransform, schemaOf, sideValue, structSchema, withSide } from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const HOIST_FIELD_DEF = new ConfigDef().define({
  name: 'field',
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

/** Kafka's HoistField (`$Key`/`$Value`): wraps the key or value in a one-field map or struct. */
export class HoistField extends BaseTransform {
  private field = '';

  config(): ConfigDef {
    return HOIST_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.field = v.field as string;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    const schema = schemaOf(record, this.side);
    if (schema === null) return withSide(record, this.side, null, { [this.field]: value });
    const outSchema = this.schemaCache.get(schema, () => structSchema(null, [{ name: this.field, schema }], false));
    const out = new Struct(outSchema);
    if (value !== null) out.put(this.field, value);
    return withSide(record, this.side, outSchema, out);
  }
}
