import { ConfigDef, ConfigException } from '../config/config-def.js';
import { DataException, Schema, Struct } from '../data/schema.js';
import { BaseTransform, newStruct, schemaOf, sideValue, structValues, withSide } from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const SET_SCHEMA_METADATA_DEF = new ConfigDef()
  .define({
    name: 'schema.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema name to set.',
  })
  .define({
    name: 'schema.version',
    type: 'INT',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema version to set.',
  });

/** Kafka's SetSchemaMetadata: sets the name and/or version of the key's or value's schema. */
export class SetSchemaMetadata extends BaseTransform {
  private name: string | null = null;
  private version: number | null = null;

  config(): ConfigDef {
    return SET_SCHEMA_METADATA_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.name = (v['schema.name'] as string | null) ?? null;
    this.version = (v['schema.version'] as number | null) ?? null;
    if (this.name === null && this.version === null) {
      throw new ConfigException('Neither schema name nor version configured');
    }
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = schemaOf(record, this.side);
    if (schema === null) throw new DataException(`Schema required for [updating schema metadata]`);
    const outSchema = this.schemaCache.get(
      schema,
      () => new Schema({ ...schema, name: this.name ?? schema.name, version: this.version ?? schema.version }),
    );
    const value = sideValue(record, this.side);
    const outValue = value instanceof Struct ? newStruct(outSchema, structValues(value)) : value;
    return withSide(record, this.side, outSchema, outValue);
  }
}
