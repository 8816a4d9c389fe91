import { ConfigDef, Validators } from '../config/config-def.js';
import type { ConnectRecord, Transformation } from './transformation.js';

const INSERT_HEADER_DEF = new ConfigDef()
  .define({
    name: 'header',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The name of the header.',
  })
  .define({
    name: 'value.literal',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The literal value that is to be set as the header value on all records.',
  });

/** Kafka's InsertHeader: adds a header with a literal (string) value to every record. */
export class InsertHeader implements Transformation {
  private header = '';
  private value = '';
  config(): ConfigDef {
    return INSERT_HEADER_DEF;
  }
  configure(props: Readonly<Record<string, string>>): void {
    const v = INSERT_HEADER_DEF.parse(props);
    this.header = v.header as string;
    this.value = v['value.literal'] as string;
  }
  apply(record: ConnectRecord): ConnectRecord {
    return { ...record, headers: [...(record.headers ?? []), { key: this.header, value: this.value }] };
  }
  close(): void {}
}
