import type { CoordinatorPartitionLog, CoordinatorRecord } from '../../../../src/coordinator/coordinator-log.js';

/**
 * A `CoordinatorPartitionLog` in memory. Appends can be failed (`failAppends`) or held until the
 * test releases them (`holdAppends`), to observe what the runtime does before a commit.
 */
export class InMemoryCoordinatorLog implements CoordinatorPartitionLog {
  readonly partitions = new Map<number, (CoordinatorRecord & { offset: number })[]>();
  /** Appends reject with this error while set. */
  failAppends: Error | undefined;
  private held: (() => void)[] | undefined;
  appendCount = 0;

  records(partition: number): (CoordinatorRecord & { offset: number })[] {
    let records = this.partitions.get(partition);
    if (records === undefined) this.partitions.set(partition, (records = []));
    return records;
  }

  async append(partition: number, records: readonly CoordinatorRecord[]): Promise<void> {
    this.appendCount++;
    if (this.held !== undefined) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (this.failAppends !== undefined) throw this.failAppends;
    const log = this.records(partition);
    for (const record of records) log.push({ key: record.key, value: record.value, offset: log.length });
  }

  async *readAll(partition: number): AsyncIterable<CoordinatorRecord & { readonly offset: number }> {
    for (const record of [...this.records(partition)]) yield record;
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
