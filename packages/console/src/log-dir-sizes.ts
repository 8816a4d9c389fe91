import type { Admin } from '@samsa/client';

/** Bytes of each replica, by `topic` → partition → broker id, from every broker's DescribeLogDirs. */
export type ReplicaSizes = Map<string, Map<number, Map<number, bigint>>>;

/** Replica sizes of the whole cluster (future replicas of a log-dir move are left out). */
export async function replicaSizes(admin: Admin): Promise<ReplicaSizes> {
  const out: ReplicaSizes = new Map();
  for (const dir of await admin.describeLogDirs()) {
    for (const p of dir.partitions) {
      if (p.isFuture) continue;
      let byPartition = out.get(p.topic);
      if (byPartition === undefined) out.set(p.topic, (byPartition = new Map()));
      let byBroker = byPartition.get(p.partition);
      if (byBroker === undefined) byPartition.set(p.partition, (byBroker = new Map()));
      byBroker.set(dir.broker, p.size);
    }
  }
  return out;
}

/** A partition's size as its leader holds it (null when the leader is offline or did not say). */
export function leaderSize(sizes: ReplicaSizes, topic: string, partition: number, leader: number): string | null {
  return sizes.get(topic)?.get(partition)?.get(leader)?.toString() ?? null;
}
