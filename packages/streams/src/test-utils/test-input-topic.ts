import type { RecordHeader } from '@samsa/client';
import type { Serializer } from '../serde/serde.js';
import { KeyValue } from '../state/key-value.js';
import type { TestRecord } from './test-record.js';

export type PipeFn = (
  topic: string,
  key: Uint8Array | null,
  value: Uint8Array | null,
  timestamp: number,
  headers: readonly RecordHeader[],
) => void;

/**
 * Kafka Streams' `TestInputTopic`. Records without a timestamp get the topic's current time,
 * which starts at `startTimestampMs` and moves by `autoAdvanceMs` after each record (and by
 * `advanceTime`), as in Java.
 */
export class TestInputTopic<K, V> {
  private currentTime: number;

  constructor(
    private readonly topic: string,
    private readonly keySerializer: Serializer<K>,
    private readonly valueSerializer: Serializer<V>,
    private readonly pipe: PipeFn,
    startTimestampMs: number,
    private readonly autoAdvanceMs: number,
  ) {
    this.currentTime = startTimestampMs;
  }

  advanceTime(ms: number): void {
    this.currentTime += ms;
  }

  /** `pipeInput(value)`, `pipeInput(key, value)` or `pipeInput(key, value, timestampMs)`. */
  pipeInput(value: V | null): void;
  pipeInput(key: K | null, value: V | null, timestampMs?: number): void;
  pipeInput(...args: unknown[]): void {
    if (args.length === 1) this.send(null, args[0] as V | null, undefined);
    else this.send(args[0] as K | null, args[1] as V | null, args[2] as number | undefined);
  }

  pipeRecord(record: TestRecord<K, V>): void {
    this.send(record.key, record.value, record.timestamp, record.headers);
  }

  pipeValueList(values: readonly (V | null)[]): void {
    for (const v of values) this.send(null, v, undefined);
  }

  pipeKeyValueList(pairs: readonly KeyValue<K | null, V | null>[]): void {
    for (const p of pairs) this.send(p.key, p.value, undefined);
  }

  pipeRecordList(records: readonly TestRecord<K, V>[]): void {
    for (const r of records) this.pipeRecord(r);
  }

  private send(
    key: K | null,
    value: V | null,
    timestamp: number | undefined,
    headers: readonly RecordHeader[] = [],
  ): void {
    let ts = timestamp;
    if (ts === undefined) {
      ts = this.currentTime;
      this.currentTime += this.autoAdvanceMs;
    }
    this.pipe(
      this.topic,
      this.keySerializer.serialize(this.topic, key),
      this.valueSerializer.serialize(this.topic, value),
      ts,
      headers,
    );
  }

  toString(): string {
    return `TestInputTopic[topic='${this.topic}', currentTime=${this.currentTime}]`;
  }
}

export { KeyValue };
