import { ConfigDef } from '../config/config-def.js';
import { DataException, Struct } from '../data/schema.js';
import { BaseTransform, nonEmptyList, type Obj, requireMap, requireStruct, structSchema } from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const VALUE_TO_KEY_DEF = new ConfigDef().define({
  name: 'fields',
  type: 'LIST',
  validator: nonEmptyList,
  importance: 'HIGH',
  documentation: 'Field names on the record value to extract as the record key.',
});

/** Kafka's ValueToKey: the key becomes a map/struct of the listed value fields. */
export class ValueToKey extends BaseTransform {
  private fields: string[] = [];

  constructor() {
    super('value');
  }

  config(): ConfigDef {
    return VALUE_TO_KEY_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.fields = v.fields as string[];
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = record.valueSchema ?? null;
    if (schema === null) {
      const value = requireMap(record.value, 'copying fields from value to key');
      const key: Obj = {};
      for (const f of this.fields) key[f] = value[f] ?? null;
      return { ...record, keySchema: null, key };
    }
    const value = requireStruct(record.value, 'copying fields from value to key');
    const keySchema = this.schemaCache.get(schema, () =>
      structSchema(
        null,
        this.fields.map((name) => {
          const field = schema.field(name);
          if (field === undefined) throw new DataException(`Field does not exist: ${name}`);
          return { name, schema: field.schema };
        }),
        false,
      ),
    );
    const key = new Struct(keySchema);
    for (const f of this.fields) {
      const v = value.get(f);
      if (v !== null) key.put(f, v);
    }
    return { ...record, keySchema, key };
  }
}
