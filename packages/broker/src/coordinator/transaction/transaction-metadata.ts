import { TransactionState, transactionStateName } from './transaction-state.js';
import { supportsEpochBump, type TransactionVersion } from './transaction-version.js';

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
  /**
   * The producer id before the last epoch exhaustion, else -1: a retried InitProducerId (KIP-360)
   * or TV_2 EndTxn may still present it.
   */
  readonly previousProducerId: number;
  /**
   * While a version 2 transaction that exhausted the epoch is being prepared: the producer id its
   * completion moves to (at epoch 0), else -1. Its markers still carry `producerId`.
   */
  readonly nextProducerId: number;
  readonly producerEpoch: number;
  /** The epoch before the last bump, so a retried InitProducerId is recognised; not persisted. */
  readonly lastProducerEpoch: number;
  /** How the client ended its last transaction: with TV_2 each EndTxn bumped the epoch. */
  readonly clientTransactionVersion: TransactionVersion;
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

/**
 * EndTxn from Ongoing (Kafka's prepareAbortOrCommit). With TV_2 the epoch is bumped, so the
 * markers fence the transaction's own late writes (a retried EndTxn then presents the epoch before
 * the bump); `nextProducerId` is the id allocated when that bump reached the epoch's end.
 */
export function prepareAbortOrCommit(
  current: TransactionMetadata,
  commit: boolean,
  clientTransactionVersion: TransactionVersion,
  nextProducerId: number,
  now: number,
): TransactionMetadata {
  const bump = supportsEpochBump(clientTransactionVersion);
  return {
    ...current,
    producerEpoch: bump ? current.producerEpoch + 1 : current.producerEpoch,
    lastProducerEpoch: bump ? current.producerEpoch : current.lastProducerEpoch,
    nextProducerId,
    clientTransactionVersion,
    state: commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort,
    txnLastUpdateTimestampMs: now,
  };
}

/**
 * The completion once every marker is written (Kafka's prepareComplete): a TV_2 transaction that
 * exhausted the epoch moves to its next producer id at epoch 0, the old id kept as previous so
 * that a retried EndTxn with it is still recognised.
 */
export function prepareComplete(prepared: TransactionMetadata, now: number): TransactionMetadata {
  const rotate = supportsEpochBump(prepared.clientTransactionVersion) && prepared.nextProducerId >= 0;
  return {
    ...prepared,
    producerId: rotate ? prepared.nextProducerId : prepared.producerId,
    previousProducerId: rotate ? prepared.producerId : prepared.previousProducerId,
    nextProducerId: -1,
    producerEpoch: rotate ? 0 : prepared.producerEpoch,
    lastProducerEpoch: rotate ? -1 : prepared.lastProducerEpoch,
    state:
      prepared.state === TransactionState.PrepareCommit
        ? TransactionState.CompleteCommit
        : TransactionState.CompleteAbort,
    partitions: [],
    txnLastUpdateTimestampMs: now,
  };
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
    `producerEpoch=${m.producerEpoch}, nextProducerId=${m.nextProducerId}, txnTimeoutMs=${m.txnTimeoutMs}, ` +
    `state=${transactionStateName(m.state)}, ` +
    `topicPartitions=[${partitions}], txnStartTimestamp=${m.txnStartTimestampMs}, ` +
    `clientTransactionVersion=${m.clientTransactionVersion})`
  );
}
