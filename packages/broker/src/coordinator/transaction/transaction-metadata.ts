import { type TransactionState, transactionStateName } from './transaction-state.js';

export interface TxnTopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * What the coordinator knows of one transactional id (Kafka's `TransactionMetadata`), as an
 * immutable value: a transition builds the next value, which replaces this one only once its
 * `__transaction_state` record is written, so a failed write leaves nothing to roll back.
 */
export interface TransactionMetadata {
  readonly transactionalId: string;
  readonly producerId: number;
  /** The producer id before the last epoch exhaustion (KIP-360 retries), else -1. */
  readonly previousProducerId: number;
  readonly producerEpoch: number;
  /** The epoch before the last bump, so a retried InitProducerId is recognised; not persisted. */
  readonly lastProducerEpoch: number;
  readonly txnTimeoutMs: number;
  readonly state: TransactionState;
  /** The partitions of the current transaction, sorted by topic then partition. */
  readonly partitions: readonly TxnTopicPartition[];
  /** When the current transaction's first partition was added, -1 outside a transaction. */
  readonly txnStartTimestampMs: number;
  readonly txnLastUpdateTimestampMs: number;
}

/** Epochs are int16; Kafka moves to a new producer id before reaching Short.MAX_VALUE. */
export const MAX_PRODUCER_EPOCH = 32767;

export function isProducerEpochExhausted(metadata: TransactionMetadata): boolean {
  return metadata.producerEpoch >= MAX_PRODUCER_EPOCH - 1;
}

export function partitionKey(tp: TxnTopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** The union of two partition lists, sorted and without duplicates. */
export function mergePartitions(
  current: readonly TxnTopicPartition[],
  added: readonly TxnTopicPartition[],
): TxnTopicPartition[] {
  const byKey = new Map<string, TxnTopicPartition>();
  for (const tp of current) byKey.set(partitionKey(tp), tp);
  for (const tp of added) byKey.set(partitionKey(tp), { topic: tp.topic, partition: tp.partition });
  return [...byKey.values()].sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
}

export function containsAll(current: readonly TxnTopicPartition[], wanted: readonly TxnTopicPartition[]): boolean {
  const keys = new Set(current.map(partitionKey));
  return wanted.every((tp) => keys.has(partitionKey(tp)));
}

/** For logs: `TransactionMetadata(transactionalId=…, producerId=…, state=…)`. */
export function describeMetadata(m: TransactionMetadata): string {
  const partitions = m.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(',');
  return (
    `TransactionMetadata(transactionalId=${m.transactionalId}, producerId=${m.producerId}, ` +
    `producerEpoch=${m.producerEpoch}, txnTimeoutMs=${m.txnTimeoutMs}, state=${transactionStateName(m.state)}, ` +
    `topicPartitions=[${partitions}], txnStartTimestamp=${m.txnStartTimestampMs})`
  );
}
