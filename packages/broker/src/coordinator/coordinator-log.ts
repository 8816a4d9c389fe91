/**
 * What a coordinator (group or transaction) needs from the log of its internal topic
 * (`__consumer_offsets`, `__transaction_state`), without knowing about storage, replication or
 * record batches. The broker implements it on top of the replica manager.
 */
export interface CoordinatorRecord {
  readonly key: Buffer;
  /** `null` is a tombstone: the key is deleted (and later compacted away). */
  readonly value: Buffer | null;
}

/** How a transaction ended, as its marker says. */
export type TransactionResult = 'COMMIT' | 'ABORT';

/**
 * The producer whose transaction an append belongs to (TxnOffsetCommit). Its records go in a
 * transactional batch of that producer and epoch, so that the partition's producer state fences
 * an older epoch (INVALID_PRODUCER_EPOCH) and the transaction's marker later ends them.
 */
export interface TransactionalProducer {
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** A data record as loading reads it, with what its batch says about transactions. */
export interface CoordinatorLogRecord extends CoordinatorRecord {
  readonly type: 'record';
  readonly offset: number;
  /** The batch's producer: -1 (no producer) for the coordinator's own appends. */
  readonly producerId: number;
  readonly producerEpoch: number;
  /** From a transactional batch: pending until `producerId`'s next marker commits or aborts it. */
  readonly transactional: boolean;
}

/** A transaction marker (the single record of a control batch) as loading reads it. */
export interface CoordinatorLogMarker {
  readonly type: 'marker';
  readonly offset: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly result: TransactionResult;
  readonly coordinatorEpoch: number;
}

export type CoordinatorLogEntry = CoordinatorLogRecord | CoordinatorLogMarker;

export interface CoordinatorPartitionLog {
  /**
   * Appends the records as one batch to `partition` of the internal topic, as a transactional
   * batch of `transactional` when given. Resolves once the records are committed (written with
   * acks=all semantics, i.e. replicated to the ISR — on a single node, appended and, when the
   * log's flush settings ask for it, fsynced). Rejects with a `KafkaError` (e.g. NOT_COORDINATOR
   * when this broker no longer leads the partition, INVALID_PRODUCER_EPOCH when the partition has
   * seen a newer epoch of the transactional producer).
   */
  append(
    partition: number,
    records: readonly CoordinatorRecord[],
    transactional?: TransactionalProducer,
  ): Promise<void>;

  /**
   * Reads every data record and transaction marker of `partition` from the log start to the
   * current end, in offset order, for loading a coordinator's state after election or restart.
   * Control records that are not transaction markers, and empty control batches (whose
   * transaction the cleaner removed), are skipped.
   */
  readAll(partition: number): AsyncIterable<CoordinatorLogEntry>;
}
