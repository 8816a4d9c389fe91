import type {
  CoordinatorLogEntry,
  CoordinatorLogRecord,
  CoordinatorPartitionLog,
  CoordinatorRecord,
  TransactionalProducer,
  TransactionResult,
} from '../../../../src/coordinator/coordinator-log.js';

/**
 * A `CoordinatorPartitionLog` in memory. Appends can be failed (`failAppends`) or held until the
 * test releases them (`holdAppends`), to observe what the runtime does before a commit.
 * Transaction markers are appended by the test (`appendMarker`), as the transaction coordinator's
 * marker writes would; producer epochs are not checked.
 */
export class InMemoryCoordinatorLog implements CoordinatorPartitionLog {
  readonly partitions = new Map<number, CoordinatorLogEntry[]>();
  /** Appends reject with this error while set. */
  failAppends: Error | undefined;
  private held: (() => void)[] | undefined;
  appendCount = 0;

  /** Everything in the partition's log, records and markers, in offset order (mutable). */
  entries(partition: number): CoordinatorLogEntry[] {
    let entries = this.partitions.get(partition);
    if (entries === undefined) this.partitions.set(partition, (entries = []));
    return entries;
  }

  /** The partition's data records, in offset order (a copy). */
  records(partition: number): CoordinatorLogRecord[] {
    return this.entries(partition).filter((e): e is CoordinatorLogRecord => e.type === 'record');
  }

  async append(
    partition: number,
    records: readonly CoordinatorRecord[],
    transactional?: TransactionalProducer,
  ): Promise<void> {
    this.appendCount++;
    if (this.held !== undefined) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (this.failAppends !== undefined) throw this.failAppends;
    const log = this.entries(partition);
    for (const record of records) {
      log.push({
        type: 'record',
        key: record.key,
        value: record.value,
        offset: log.length,
        producerId: transactional?.producerId ?? -1,
        producerEpoch: transactional?.producerEpoch ?? -1,
        transactional: transactional !== undefined,
      });
    }
  }

  appendMarker(partition: number, producerId: number, producerEpoch: number, result: TransactionResult): void {
    const log = this.entries(partition);
    log.push({ type: 'marker', offset: log.length, producerId, producerEpoch, result, coordinatorEpoch: 0 });
  }

  async *readAll(partition: number): AsyncIterable<CoordinatorLogEntry> {
    for (const entry of [...this.entries(partition)]) yield entry;
  }

  /** Appends wait until `releaseAppends`. */
  holdAppends(): void {
    this.held ??= [];
  }

  releaseAppends(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const release of held) release();
  }
}
