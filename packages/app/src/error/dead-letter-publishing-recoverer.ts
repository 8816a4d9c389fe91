import type { PartitionInfo, RecordHeader } from '@samsa/client';
import { KafkaHeaders } from '../support/kafka-headers.js';
import type { ConsumerRecordRecoverer, FailedRecord } from './common-error-handler.js';

/** A record of raw bytes to publish (what @samsa/client's `Producer<Buffer, Buffer>` accepts). */
export interface RawProducerRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp?: number;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
}

/** Where dead letters are sent: a `Producer<Buffer, Buffer>` fits. */
export interface RawRecordPublisher {
  send(record: RawProducerRecord): Promise<unknown> | undefined;
  partitionsFor?(topic: string): Promise<readonly PartitionInfo[]>;
}

/** Topic and partition for a failed record; partition undefined lets the producer choose. */
export type DestinationResolver = (
  failed: FailedRecord,
  error: Error,
) => { readonly topic: string; readonly partition?: number | undefined };

export interface DeadLetterPublishingRecovererOptions {
  /** Spring's default: `<topic>-dlt`, same partition. */
  readonly destinationResolver?: DestinationResolver;
  /** Extra headers for each dead letter (Spring's headersFunction). */
  readonly headersFunction?: (failed: FailedRecord, error: Error) => readonly RecordHeader[];
  /** Headers of the failed record not to carry over (those `headersFunction` replaces). */
  readonly stripHeaders?: readonly string[];
}

const EXCEPTION_HEADERS = new Set<string>([
  KafkaHeaders.DLT_EXCEPTION_FQCN,
  KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN,
  KafkaHeaders.DLT_EXCEPTION_MESSAGE,
  KafkaHeaders.DLT_EXCEPTION_STACKTRACE,
  KafkaHeaders.DLT_KEY_EXCEPTION_FQCN,
  KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE,
  KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE,
]);

export const defaultDestinationResolver: DestinationResolver = (failed) => ({
  topic: `${failed.raw.topic}-dlt`,
  partition: failed.raw.partition,
});

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function int64(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(value);
  return b;
}

function utf8(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

/**
 * Publishes a record whose retries are exhausted to a dead-letter topic (Spring's
 * DeadLetterPublishingRecoverer), with the original key and value bytes — as fetched, so a
 * record that failed deserialization arrives intact — and Spring's headers, encoded as Spring
 * encodes them (partition as a 4-byte big-endian int, offset and timestamp as 8-byte longs,
 * the rest UTF-8), so a Spring application can read our dead letters and vice versa:
 * `kafka_dlt-exception-fqcn` (the error's `name`: TypeScript has no class path),
 * `-exception-cause-fqcn`, `-exception-message`, `-exception-stacktrace`,
 * `kafka_dlt-original-topic`, `-partition`, `-offset`, `-timestamp`, `-timestamp-type`,
 * `-consumer-group`.
 *
 * Exception headers of an earlier hop are replaced; the `original-*` headers of the first hop
 * are kept (a record moving through retry topics keeps naming the topic it started on).
 *
 * The dead letter gets a new timestamp (the original is in its header), as Spring sends it.
 * The destination partition is the original's when the dead-letter topic has that many
 * partitions (checked when the publisher can tell), else the producer's partitioner chooses.
 */
export class DeadLetterPublishingRecoverer {
  readonly recover: ConsumerRecordRecoverer;
  /** Dead letters published (a metric). */
  published = 0;

  constructor(
    private readonly publisher: RawRecordPublisher,
    private readonly options: DeadLetterPublishingRecovererOptions = {},
  ) {
    this.recover = (failed, error, ctx) => this.publish(failed, error, ctx.groupId);
  }

  private async publish(failed: FailedRecord, error: Error, groupId: string | null): Promise<void> {
    const destination = (this.options.destinationResolver ?? defaultDestinationResolver)(failed, error);
    const partition = await this.checkedPartition(destination.topic, destination.partition);
    const raw = failed.raw;
    const strip = new Set(this.options.stripHeaders ?? []);
    const headers: { key: string; value: Buffer | null }[] = raw.headers.filter(
      (h) => !EXCEPTION_HEADERS.has(h.key) && !strip.has(h.key),
    );
    const has = (key: string) => headers.some((h) => h.key === key);
    const addOriginal = (key: string, value: Buffer) => {
      if (!has(key)) headers.push({ key, value });
    };
    addOriginal(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(raw.topic));
    addOriginal(KafkaHeaders.DLT_ORIGINAL_PARTITION, int32(raw.partition));
    addOriginal(KafkaHeaders.DLT_ORIGINAL_OFFSET, int64(raw.offset));
    addOriginal(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP, int64(BigInt(raw.timestamp)));
    addOriginal(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE, utf8(raw.timestampType));
    if (groupId !== null) addOriginal(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(groupId));
    const isKey = (error as { isKey?: unknown }).isKey === true;
    headers.push({
      key: isKey ? KafkaHeaders.DLT_KEY_EXCEPTION_FQCN : KafkaHeaders.DLT_EXCEPTION_FQCN,
      value: utf8(error.name),
    });
    if (!isKey && error.cause instanceof Error) {
      headers.push({ key: KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN, value: utf8(error.cause.name) });
    }
    headers.push({
      key: isKey ? KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE : KafkaHeaders.DLT_EXCEPTION_MESSAGE,
      value: utf8(error.message),
    });
    headers.push({
      key: isKey ? KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE : KafkaHeaders.DLT_EXCEPTION_STACKTRACE,
      value: utf8(error.stack ?? `${error.name}: ${error.message}`),
    });
    for (const h of this.options.headersFunction?.(failed, error) ?? []) headers.push({ key: h.key, value: h.value });
    await this.publisher.send({
      topic: destination.topic,
      ...(partition === undefined ? {} : { partition }),
      key: raw.key,
      value: raw.value,
      headers,
    });
    this.published++;
  }

  private async checkedPartition(topic: string, partition: number | undefined): Promise<number | undefined> {
    if (partition === undefined || partition < 0) return undefined;
    if (this.publisher.partitionsFor === undefined) return partition;
    try {
      const partitions = await this.publisher.partitionsFor(topic);
      return partition < partitions.length ? partition : undefined;
    } catch {
      return partition;
    }
  }
}
