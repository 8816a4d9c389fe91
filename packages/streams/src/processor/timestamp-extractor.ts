import type { RecordHeader } from '@samsa/client';
import { StreamsException } from './topology-exception.js';

/** What a TimestampExtractor sees: the deserialized input record (Java's `ConsumerRecord<Object, Object>`). */
export class ConsumerRecord<K = unknown, V = unknown> {
  constructor(
    private readonly topicName: string,
    private readonly partitionId: number,
    private readonly recordOffset: bigint,
    private readonly recordKey: K,
    private readonly recordValue: V,
    private readonly recordTimestamp: number,
    private readonly recordHeaders: readonly RecordHeader[],
  ) {}

  topic(): string {
    return this.topicName;
  }

  partition(): number {
    return this.partitionId;
  }

  offset(): bigint {
    return this.recordOffset;
  }

  key(): K {
    return this.recordKey;
  }

  value(): V {
    return this.recordValue;
  }

  timestamp(): number {
    return this.recordTimestamp;
  }

  headers(): readonly RecordHeader[] {
    return this.recordHeaders;
  }

  toString(): string {
    return `ConsumerRecord(topic = ${this.topicName}, partition = ${this.partitionId}, offset = ${this.recordOffset}, timestamp = ${this.recordTimestamp}, key = ${String(this.recordKey)}, value = ${String(this.recordValue)})`;
  }
}

/**
 * Kafka Streams' `TimestampExtractor` (`default.timestamp.extractor`): the timestamp a record is
 * processed with (stream time, windows). `partitionTime` is the highest timestamp extracted so
 * far from the record's partition (-1 before the first). A negative result skips the record.
 */
export interface TimestampExtractor {
  extract(record: ConsumerRecord, partitionTime: number): number;
}

/** The default: the record's own timestamp; a negative one stops the application. */
export class FailOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumerRecord): number {
    const timestamp = record.timestamp();
    if (timestamp < 0) {
      throw new StreamsException(
        `Input record ${record} has invalid (negative) timestamp. Possibly because a pre-0.10 producer client was used to write this record to Kafka without embedding a timestamp, or because the input topic was created before upgrading the Kafka cluster to 0.10+. Use a different TimestampExtractor to process this data.`,
      );
    }
    return timestamp;
  }
}

/** The record's timestamp; a record with a negative one is logged and skipped. */
export class LogAndSkipOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumerRecord): number {
    const timestamp = record.timestamp();
    if (timestamp < 0) {
      console.warn(`Input record ${record} will be dropped because it has an invalid (negative) timestamp.`);
    }
    return timestamp;
  }
}

/** The record's timestamp, or the partition's time when it is negative (and fails before there is one). */
export class UsePartitionTimeOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumerRecord, partitionTime: number): number {
    const timestamp = record.timestamp();
    if (timestamp >= 0) return timestamp;
    if (partitionTime < 0) {
      throw new StreamsException(
        `Could not infer new timestamp for input record ${record} because partition time is unknown.`,
      );
    }
    return partitionTime;
  }
}

/** The wall-clock time of processing (processing-time semantics), whatever the record says. */
export class WallclockTimestampExtractor implements TimestampExtractor {
  extract(): number {
    return Date.now();
  }
}

/** A `default.timestamp.extractor` value: an extractor, a function, or a Java class name. */
export type TimestampExtractorSetting =
  | TimestampExtractor
  | ((record: ConsumerRecord, partitionTime: number) => number)
  | string;

const byClassName: { readonly [name: string]: () => TimestampExtractor } = {
  FailOnInvalidTimestamp: () => new FailOnInvalidTimestamp(),
  LogAndSkipOnInvalidTimestamp: () => new LogAndSkipOnInvalidTimestamp(),
  UsePartitionTimeOnInvalidTimestamp: () => new UsePartitionTimeOnInvalidTimestamp(),
  WallclockTimestampExtractor: () => new WallclockTimestampExtractor(),
};

/** Resolves a setting; undefined for an unknown class name. */
export function timestampExtractorOf(setting: TimestampExtractorSetting): TimestampExtractor | undefined {
  if (typeof setting === 'function') return { extract: setting };
  if (typeof setting === 'object') return setting;
  const simple = setting.replace(/^org\.apache\.kafka\.streams\.processor\./, '');
  return byClassName[simple]?.();
}
