import { ConfigDef } from '../config/config-def.js';
import { nonEmptyList } from './transform-support.js';
import type { ConnectRecord, Transformation } from './transformation.js';

const DROP_HEADERS_DEF = new ConfigDef().define({
  name: 'headers',
  type: 'LIST',
  validator: nonEmptyList,
  importance: 'HIGH',
  documentation: 'The name of the headers to be removed.',
});

/** Kafka's DropHeaders: removes every header with one of these names. */
export class DropHeaders implements Transformation {
  private names = new Set<string>();
  config(): ConfigDef {
    return DROP_HEADERS_DEF;
  }
  configure(props: Readonly<Record<string, string>>): void {
    this.names = new Set(DROP_HEADERS_DEF.parse(props).headers as string[]);
  }
  apply(record: ConnectRecord): ConnectRecord {
    return { ...record, headers: (record.headers ?? []).filter((h) => !this.names.has(h.key)) };
  }
  close(): void {}
}
