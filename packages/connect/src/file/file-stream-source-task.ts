import { closeSync, openSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceRecord } from '../connector/connect-record.js';
import { type Props, SourceTask } from '../connector/connector.js';
import { Schema } from '../data/schema.js';
import { CONNECT_VERSION } from '../version.js';
import { FILE_CONFIG, TASK_BATCH_SIZE_CONFIG, TOPIC_CONFIG } from './file-stream-source-connector.js';

export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';
const READ_CHUNK_BYTES = 64 * 1024;
/** Kafka's task waits a second when the file has nothing new; shorter here, it is only a poll interval. */
const IDLE_WAIT_MS = 200;

/**
 * Reads complete lines (ending in `\n`, a trailing `\r` dropped) from `position` on. The offset
 * of each record is the byte position just after its line, so a restarted task resumes at the
 * first line not yet acknowledged. A partial last line waits until its newline arrives.
 */
export class FileStreamSourceTask extends SourceTask {
  static readonly CLASS = 'org.apache.kafka.connect.file.FileStreamSourceTask';
  private filename: string | null = null;
  private topic = '';
  private batchSize = 2000;
  private fd: number | null = null;
  private position = 0;
  private pending = Buffer.alloc(0);
  private stopped = false;
  private wake: AbortController | undefined;

  version(): string {
    return CONNECT_VERSION;
  }

  start(props: Props): void {
    this.filename = props[FILE_CONFIG] ?? null;
    if (this.filename === '') this.filename = null;
    this.topic = props[TOPIC_CONFIG] ?? '';
    this.batchSize = Number(props[TASK_BATCH_SIZE_CONFIG] ?? 2000);
    if (this.filename === null) {
      this.fd = 0; // standard input
      return;
    }
    const offset = this.context.offsetStorageReader.offset({ [FILENAME_FIELD]: this.filename });
    const stored = offset?.[POSITION_FIELD];
    if (typeof stored === 'number' && stored >= 0) this.position = stored;
  }

  /**
   * New lines, or null after one idle wait, as Kafka's task does: returning lets the worker act
   * between polls (commit an exactly-once transaction whose interval passed, notice a pause).
   */
  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    const records = this.readLines();
    if (records.length > 0) return records;
    this.wake = new AbortController();
    await sleep(IDLE_WAIT_MS, undefined, { signal: this.wake.signal }).catch(() => {});
    return null;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.abort();
    if (this.fd !== null && this.fd !== 0) closeSync(this.fd);
    this.fd = null;
  }

  private readLines(): SourceRecord[] {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.filename!, 'r');
      } catch {
        return []; // not created yet: Kafka's task waits for it the same way
      }
    }
    const records: SourceRecord[] = [];
    const partition = this.filename === null ? null : { [FILENAME_FIELD]: this.filename };
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    while (records.length < this.batchSize) {
      let start = 0;
      let newline = this.pending.indexOf(10);
      while (newline >= 0 && records.length < this.batchSize) {
        const lineEnd = newline > start && this.pending[newline - 1] === 13 ? newline - 1 : newline;
        const line = this.pending.toString('utf8', start, lineEnd);
        this.position += newline + 1 - start;
        records.push({
          sourcePartition: partition,
          sourceOffset: this.filename === null ? null : { [POSITION_FIELD]: this.position },
          topic: this.topic,
          kafkaPartition: null,
          valueSchema: Schema.STRING_SCHEMA,
          value: line,
        });
        start = newline + 1;
        newline = this.pending.indexOf(10, start);
      }
      this.pending = this.pending.subarray(start);
      if (records.length >= this.batchSize) break;
      const readAt = this.filename === null ? null : this.position + this.pending.length;
      let n: number;
      try {
        n = readSync(this.fd, chunk, 0, chunk.length, readAt);
      } catch (error) {
        // A non-blocking stdin with nothing to read yet.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw error;
      }
      if (n === 0) break;
      this.pending = Buffer.concat([this.pending, chunk.subarray(0, n)]);
    }
    return records;
  }
}
