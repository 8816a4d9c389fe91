import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { SinkOffsets, SinkRecord } from '../connector/connect-record.js';
import { type Props, SinkTask } from '../connector/connector.js';
import { CONNECT_VERSION } from '../version.js';

/**
 * Appends each record's value (its string form, as Java's `toString`) and a newline to `file`,
 * or writes to standard output. `flush` fsyncs, so offsets are committed only for lines on disk.
 */
export class FileStreamSinkTask extends SinkTask {
  static readonly CLASS = 'org.apache.kafka.connect.file.FileStreamSinkTask';
  private fd: number | null = null;
  private stdout = false;

  version(): string {
    return CONNECT_VERSION;
  }

  start(props: Props): void {
    const file = props.file;
    if (file === undefined || file === '') this.stdout = true;
    else this.fd = openSync(file, 'a');
  }

  put(records: readonly SinkRecord[]): void {
    if (records.length === 0) return;
    let text = '';
    for (const record of records) text += `${valueString(record.value)}\n`;
    if (this.stdout) process.stdout.write(text);
    else if (this.fd !== null) writeSync(this.fd, text);
  }

  override flush(_offsets: SinkOffsets): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  stop(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function valueString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  // Java would print `[B@1b6d3586`; the bytes as UTF-8 are what anyone wants in the file.
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object' && !(value instanceof Map) && value.toString === Object.prototype.toString) {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value);
}
