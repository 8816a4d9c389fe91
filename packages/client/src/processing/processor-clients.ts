import type { TopicPartition } from '../common/topic-partition.js';
import type { ConsumerConfig, ProducerConfig } from '../config/client-config.js';
import { camelCaseOf } from '../config/config-definitions.js';
import { type ConfigInput, resolveConfig } from '../config/resolve-config.js';
import type { ConsumerOptions, PollOptions } from '../consumer/consumer.js';
import type { ConsumerRecord } from '../consumer/consumer-record.js';
import type { RebalanceListener } from '../consumer/rebalance-listener.js';
import { ConfigError } from '../errors/client-errors.js';
import type { ProducerOptions } from '../producer/producer.js';
import type { ProducerRecord, RecordMetadata } from '../producer/producer-record.js';
import type { ConsumerGroupMetadata, OffsetToCommit } from '../producer/transaction-manager.js';

/**
 * The consumer calls an `ExactlyOnceProcessor` makes: what `Consumer` offers, narrowed so that
 * the processor's loop can be tested against an in-memory consumer.
 */
export interface ProcessorConsumer<K, V> {
  readonly config: Pick<ConsumerConfig, 'groupId' | 'isolationLevel' | 'enableAutoCommit'>;
  subscribe(topics: string | readonly string[] | RegExp, listener?: RebalanceListener): void;
  poll(options?: PollOptions): Promise<ConsumerRecord<K, V>[]>;
  seek(tp: TopicPartition, offset: bigint): void;
  assignment(): TopicPartition[];
  groupMetadata(): ConsumerGroupMetadata;
  close(): Promise<void>;
}

/** The transactional producer calls an `ExactlyOnceProcessor` makes (see `ProcessorConsumer`). */
export interface ProcessorProducer<K, V> {
  readonly config: Pick<ProducerConfig, 'transactionalId'>;
  readonly transactionState: string;
  initTransactions(): Promise<void>;
  beginTransaction(): void;
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata>;
  sendOffsetsToTransaction(offsets: readonly OffsetToCommit[], group: ConsumerGroupMetadata): Promise<void>;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

function has(input: ConfigInput, key: string): boolean {
  return input[key] !== undefined || input[camelCaseOf(key)] !== undefined;
}

/**
 * Settings of a consumer fit for exactly-once: in a group, reading only committed data (an
 * aborted upstream transaction must not become output), and never committing offsets itself
 * (they commit inside the producer's transactions). Those two settings default accordingly; set
 * otherwise they are refused rather than silently overridden. Throws before any client exists.
 */
export function processorConsumerOptions<K, V>(options: ConsumerOptions<K, V>): ConsumerOptions<K, V> {
  const input: ConfigInput = {
    ...(has(options, 'isolation.level') ? {} : { 'isolation.level': 'read_committed' }),
    ...(has(options, 'enable.auto.commit') ? {} : { 'enable.auto.commit': false }),
    ...options,
  };
  checkConsumerConfig(resolveConfig('consumer', input) as unknown as ConsumerConfig);
  return input as ConsumerOptions<K, V>;
}

/** Settings of a transactional producer: `transactional.id` is what fences a zombie instance. */
export function processorProducerOptions<K, V>(options: ProducerOptions<K, V>): ProducerOptions<K, V> {
  checkProducerConfig(resolveConfig('producer', options) as unknown as ProducerConfig);
  return options;
}

export function checkConsumerConfig(config: ProcessorConsumer<unknown, unknown>['config']): void {
  if (config.groupId === null) throw new ConfigError('group.id', 'is required: offsets commit to the group');
  if (config.isolationLevel !== 'read_committed') {
    throw new ConfigError('isolation.level', 'must be read_committed for exactly-once processing');
  }
  if (config.enableAutoCommit) {
    throw new ConfigError('enable.auto.commit', 'must be false: offsets commit inside the transactions');
  }
}

export function checkProducerConfig(config: ProcessorProducer<unknown, unknown>['config']): void {
  if (config.transactionalId === null) {
    throw new ConfigError('transactional.id', 'is required for exactly-once processing');
  }
}
