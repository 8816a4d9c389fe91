import type { KafkaError } from '@samsa/protocol';
import type { TopicPartition } from '../common/topic-partition.js';

/**
 * What the admin client tells about transactions, in the words of Java's admin API
 * (`TransactionListing`, `TransactionDescription`, `AbortTransactionSpec`) and of
 * `kafka-transactions.sh`, which prints these values as they are.
 */

/**
 * The states a transaction coordinator reports, spelled as on the wire and as Java's
 * `TransactionState.toString()` prints them. A name the client does not know reads as 'Unknown',
 * as Java's `TransactionState.parse` does.
 */
export const TRANSACTION_STATES = [
  'Ongoing',
  'PrepareAbort',
  'PrepareCommit',
  'CompleteAbort',
  'CompleteCommit',
  'Empty',
  'PrepareEpochFence',
  'Unknown',
] as const;
export type TransactionStateName = (typeof TRANSACTION_STATES)[number];

export function parseTransactionState(name: string): TransactionStateName {
  return (TRANSACTION_STATES as readonly string[]).includes(name) ? (name as TransactionStateName) : 'Unknown';
}

/** Java's ListTransactionsOptions: every filter given must match (an absent or empty one matches all). */
export interface ListTransactionsOptions {
  readonly stateFilters?: readonly TransactionStateName[];
  readonly producerIdFilters?: readonly bigint[];
  /**
   * Only transactions running for longer than this (ListTransactions v1+, KIP-994); negative or
   * absent lists them all. A broker with only v0 makes a non-negative filter fail with
   * UNSUPPORTED_VERSION rather than be ignored.
   */
  readonly durationFilterMs?: number | bigint;
}

/** One transactional id a broker's transaction coordinator holds (ListTransactions). */
export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly state: TransactionStateName;
  /** The broker that listed it, which coordinates it (the key of Java's `allByBrokerId()`). */
  readonly coordinatorId: number;
}

/** A transactional id's state at its coordinator (DescribeTransactions). */
export interface TransactionDescription {
  readonly transactionalId: string;
  readonly coordinatorId: number;
  readonly state: TransactionStateName;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** When the open transaction started; null when none is open (the coordinator sends -1). */
  readonly transactionStartTimeMs: bigint | null;
  /**
   * The partitions of the open transaction, and in PrepareCommit/PrepareAbort those still waiting
   * for their marker. Sorted by topic and partition.
   */
  readonly topicPartitions: readonly TopicPartition[];
}

/**
 * One transactional id's outcome of `describeTransactions`: as Java gives a future per id, an id
 * the coordinator does not know (TRANSACTIONAL_ID_NOT_FOUND) does not hide the others.
 */
export type TransactionDescriptionResult = { readonly transactionalId: string } & (
  | { readonly description: TransactionDescription; readonly error: null }
  | { readonly description: null; readonly error: KafkaError }
);

/**
 * The transaction to abort on one partition (Java's AbortTransactionSpec): the producer and
 * epoch that opened it and the coordinator epoch to write the marker with, from DescribeProducers.
 */
export interface AbortTransactionSpec extends TopicPartition {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
}

/** Java's `AbortTransactionSpec.toString()`, which error messages and the tool print. */
export function abortTransactionSpecString(spec: AbortTransactionSpec): string {
  return (
    `AbortTransactionSpec(topicPartition=${spec.topic}-${spec.partition}, producerId=${spec.producerId}, ` +
    `producerEpoch=${spec.producerEpoch}, coordinatorEpoch=${spec.coordinatorEpoch})`
  );
}
