/**
 * Which groups of a shard may hold pending transactional offsets of each producer, so that a
 * transaction marker visits those groups rather than every group of the partition (a partition
 * being loaded may replay many markers).
 *
 * A superset by construction: an entry is added whenever a transactional offset commit is
 * replayed and removed only when the producer's marker is applied (`take`). An entry that no
 * longer matches anything — its operation was rolled back, a tombstone removed the offsets, the
 * group was deleted — is harmless: the marker finds nothing pending there.
 *
 * Not thread-safe; owned by one `GroupCoordinatorShard`.
 */
export class OpenTransactions {
  private readonly groupsByProducer = new Map<number, Set<string>>();

  add(producerId: number, groupId: string): void {
    let groups = this.groupsByProducer.get(producerId);
    if (groups === undefined) this.groupsByProducer.set(producerId, (groups = new Set()));
    groups.add(groupId);
  }

  /** The groups that may hold the producer's pending offsets; forgets them. */
  take(producerId: number): string[] {
    const groups = this.groupsByProducer.get(producerId);
    this.groupsByProducer.delete(producerId);
    return groups === undefined ? [] : [...groups];
  }

  /** The groups that may hold the producer's pending offsets, without forgetting them. */
  groupsOf(producerId: number): string[] {
    return [...(this.groupsByProducer.get(producerId) ?? [])];
  }

  clear(): void {
    this.groupsByProducer.clear();
  }
}
