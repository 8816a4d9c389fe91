import type { ConsumerRecord } from '@samsa/client';
import { KafkaBasedLog, type TopicSettings } from './kafka-based-log.js';
import { type OffsetStore, offsetsOf, type SourceOffset, type SourcePartition } from './offset-store.js';

/**
 * Source offsets in `offset.storage.topic` (Kafka's KafkaOffsetBackingStore). The key is the
 * JSON of `["<connector>",{<source partition>}]` and the value the JSON of the offset map, as
 * Kafka's internal JsonConverter (`schemas.enable=false`) writes them; a null value deletes the
 * offset. Records are keyed, so one source partition always lands in one topic partition and the
 * last write wins after compaction.
 *
 * `set` only buffers; `flush` sends what was buffered, so a task's offsets reach the topic every
 * `offset.flush.interval.ms` and when it stops. Reads come from the replayed topic plus this
 * worker's unflushed writes, so a task moved from a dead worker resumes from the last flush.
 */
export class KafkaOffsetBackingStore implements OffsetStore {
  private readonly data = new Map<string, SourceOffset>();
  private pending = new Map<string, SourceOffset | null>();
  private readonly log: KafkaBasedLog;

  /** `readCommitted`: under exactly-once source support, offsets of aborted transactions are never read. */
  constructor(
    topic: TopicSettings,
    clientProps: Readonly<Record<string, string>>,
    clientIdPrefix: string,
    readCommitted = false,
  ) {
    this.log = new KafkaBasedLog({
      topic,
      clientProps,
      clientIdPrefix: `${clientIdPrefix}-offsets`,
      consume: (record) => this.apply(record),
      readCommitted,
    });
  }

  get topic(): string {
    return this.log.topic;
  }

  refresh(): Promise<void> {
    return this.log.readToEnd();
  }

  static key(connector: string, partition: SourcePartition): string {
    return JSON.stringify([connector, partition]);
  }

  start(): Promise<void> {
    return this.log.start();
  }

  async stop(): Promise<void> {
    await this.flush();
    await this.log.stop();
  }

  private apply(record: ConsumerRecord<Buffer, Buffer>): void {
    if (record.key === null) return;
    const key = record.key.toString('utf8');
    if (record.value === null) this.data.delete(key);
    else this.data.set(key, JSON.parse(record.value.toString('utf8')) as SourceOffset);
  }

  get(connector: string, partition: SourcePartition): Record<string, unknown> | null {
    const key = KafkaOffsetBackingStore.key(connector, partition);
    const value = this.pending.has(key) ? this.pending.get(key) : this.data.get(key);
    return value === undefined || value === null ? null : { ...value };
  }

  set(connector: string, partition: SourcePartition, offset: SourceOffset | null): void {
    this.pending.set(KafkaOffsetBackingStore.key(connector, partition), offset);
  }

  connectorOffsets(connector: string): { partition: SourcePartition; offset: SourceOffset }[] {
    const merged = new Map<string, SourceOffset | null>(this.data);
    for (const [key, value] of this.pending) merged.set(key, value);
    return offsetsOf(connector, merged);
  }

  /** Reads the topic to its end, so offsets another worker flushed are seen. */
  readToEnd(): Promise<void> {
    return this.log.readToEnd();
  }

  /** Sends the buffered offsets; on failure they are kept for the next flush. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await Promise.all(
        [...batch].map(([key, value]) =>
          this.log.send(Buffer.from(key, 'utf8'), value === null ? null : Buffer.from(JSON.stringify(value), 'utf8')),
        ),
      );
      for (const [key, value] of batch) {
        if (value === null) this.data.delete(key);
        else this.data.set(key, value);
      }
    } catch (error) {
      for (const [key, value] of batch) if (!this.pending.has(key)) this.pending.set(key, value);
      throw error;
    }
  }
}
