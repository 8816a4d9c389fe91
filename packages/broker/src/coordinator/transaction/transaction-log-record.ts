import {
  Reader,
  TransactionLogKeyCodec,
  TransactionLogValueCodec,
  type TransactionLogValueInput,
} from '@samsa/protocol';
import type { CoordinatorRecord } from '../coordinator-log.js';
import { decodeVersioned as readWhole, encodeVersioned as versioned } from '../versioned-record.js';
import type { TransactionMetadata, TxnTopicPartition } from './transaction-metadata.js';
import { TransactionState, transactionStateFromId } from './transaction-state.js';

/*
 * The records of `__transaction_state`, byte for byte as Kafka's TransactionLog writes them: the
 * key is an int16 version (0) and the TransactionLogKey struct, the value an int16 version (0;
 * version 1 only with transaction version 2, which Samsa does not advertise) and the
 * TransactionLogValue struct, or null once the transactional id expired.
 */
const KEY_VERSION = 0;
const VALUE_VERSION = 0;

export function transactionLogRecord(metadata: TransactionMetadata): CoordinatorRecord {
  // Kafka writes no partitions (null) for a state without a transaction.
  const partitions = groupByTopic(metadata.partitions);
  const value: TransactionLogValueInput = {
    producerId: BigInt(metadata.producerId),
    producerEpoch: metadata.producerEpoch,
    transactionTimeoutMs: metadata.txnTimeoutMs,
    transactionStatus: metadata.state,
    transactionPartitions: partitions.length === 0 ? null : partitions,
    transactionLastUpdateTimestampMs: BigInt(metadata.txnLastUpdateTimestampMs),
    transactionStartTimestampMs: BigInt(metadata.txnStartTimestampMs),
  };
  return {
    key: versioned(TransactionLogKeyCodec, { transactionalId: metadata.transactionalId }, KEY_VERSION),
    value: versioned(TransactionLogValueCodec, value, VALUE_VERSION),
  };
}

export function transactionLogTombstone(transactionalId: string): CoordinatorRecord {
  return { key: versioned(TransactionLogKeyCodec, { transactionalId }, KEY_VERSION), value: null };
}

/**
 * Decodes a record of `__transaction_state`: the id and its metadata, or null metadata for a
 * tombstone. Throws on bytes that are not a transaction log record — a corrupt partition must
 * fail to load rather than load wrong state.
 */
export function decodeTransactionLogRecord(record: CoordinatorRecord): {
  readonly transactionalId: string;
  readonly metadata: TransactionMetadata | null;
} {
  const keyReader = new Reader(record.key);
  const keyVersion = keyReader.readInt16();
  const { transactionalId } = readWhole(TransactionLogKeyCodec, keyReader, keyVersion);
  if (record.value === null) return { transactionalId, metadata: null };
  const valueReader = new Reader(record.value);
  const value = readWhole(TransactionLogValueCodec, valueReader, valueReader.readInt16());
  const state = transactionStateFromId(value.transactionStatus);
  const partitions: TxnTopicPartition[] = [];
  for (const t of value.transactionPartitions ?? [])
    for (const partition of t.partitionIds) partitions.push({ topic: t.topic, partition });
  return {
    transactionalId,
    metadata: {
      transactionalId,
      producerId: Number(value.producerId),
      previousProducerId: Number(value.previousProducerId),
      producerEpoch: value.producerEpoch,
      lastProducerEpoch: -1,
      txnTimeoutMs: value.transactionTimeoutMs,
      state,
      partitions: state === TransactionState.Empty ? [] : partitions,
      txnStartTimestampMs: Number(value.transactionStartTimestampMs),
      txnLastUpdateTimestampMs: Number(value.transactionLastUpdateTimestampMs),
    },
  };
}

function groupByTopic(partitions: readonly TxnTopicPartition[]): { topic: string; partitionIds: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) {
    const ids = byTopic.get(tp.topic) ?? [];
    ids.push(tp.partition);
    byTopic.set(tp.topic, ids);
  }
  return [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds }));
}
