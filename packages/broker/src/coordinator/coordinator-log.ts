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

export interface CoordinatorPartitionLog {
  /**
   * Appends the records as one batch to `partition` of the internal topic. Resolves once the
   * records are committed (written with acks=all semantics, i.e. replicated to the ISR — on a
   * single node, appended and, when the log's flush settings ask for it, fsynced). Rejects with
   * a `KafkaError` (e.g. NOT_COORDINATOR when this broker no longer leads the partition).
   */
  append(partition: number, records: readonly CoordinatorRecord[]): Promise<void>;

  /**
   * Reads every record of `partition` from the log start to the current end, in offset order,
   * for loading a coordinator's state after election or restart.
   */
  readAll(partition: number): AsyncIterable<CoordinatorRecord & { readonly offset: number }>;
}
