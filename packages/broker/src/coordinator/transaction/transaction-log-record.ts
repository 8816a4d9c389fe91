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
import { TransactionVersion, transactionVersionFromLevel } from './transaction-version.js';

/*
 * The records of `__transaction_state`, byte for byte as Kafka's TransactionLog writes them: the
 * key is an int16 version (0) and the TransactionLogKey struct, the value an int16 version and the
 * TransactionLogValue struct, or null once the transactional id expired. The value is version 0
 * unless the id's client speaks transaction version 1+: version 1 is flexible and adds the tagged
 * PreviousProducerId, NextProducerId and ClientTransactionVersion, which a TV_2 transaction needs
 * to survive a coordinator move (a retried EndTxn after an epoch exhaustion, the producer id to
 * move to). Kafka picks the version from the cluster's `transaction.version` instead; Samsa does
 * not advertise the feature, so version-0 ids keep the version-0 bytes older tools read.
 */
const KEY_VERSION = 0;

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
  const flexible = metadata.clientTransactionVersion >= TransactionVersion.TV_1;
  if (flexible) {
    value.previousProducerId = BigInt(metadata.previousProducerId);
    value.nextProducerId = BigInt(metadata.nextProducerId);
    value.clientTransactionVersion = metadata.clientTransactionVersion;
  }
  const valueVersion = flexible ? 1 : 0;
  return {
    key: versioned(TransactionLogKeyCodec, { transactionalId: metadata.transactionalId }, KEY_VERSION),
    value: versioned(TransactionLogValueCodec, value, valueVersion),
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
      nextProducerId: Number(value.nextProducerId),
      producerEpoch: value.producerEpoch,
      lastProducerEpoch: -1,
      clientTransactionVersion: transactionVersionFromLevel(value.clientTransactionVersion),
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
