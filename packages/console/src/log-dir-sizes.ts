import type { Admin, LogDirDescription } from '@samsa/client';

/**
 * Every broker's log dirs, asked one broker at a time: a broker that is down but still in the
 * metadata (until ZooKeeper expires its session) is left out and named, instead of failing the
 * whole page, which is when an operator looks.
 */
export async function reachableLogDirs(
  admin: Admin,
  brokerIds?: readonly number[],
): Promise<{ dirs: LogDirDescription[]; unreachable: number[] }> {
  const ids = brokerIds ?? (await admin.describeCluster()).brokers.map((b) => b.nodeId);
  const answers = await Promise.all(
    ids.map((id) =>
      admin.describeLogDirs([id]).then(
        (dirs) => ({ id, dirs }),
        () => ({ id, dirs: undefined }),
      ),
    ),
  );
  return {
    dirs: answers.flatMap((a) => a.dirs ?? []),
    unreachable: answers.filter((a) => a.dirs === undefined).map((a) => a.id),
  };
}

/** Bytes of each replica, by `topic` → partition → broker id, from every broker's DescribeLogDirs. */
export type ReplicaSizes = Map<string, Map<number, Map<number, bigint>>>;

/**
 * Replica sizes of the whole cluster (future replicas of a log-dir move are left out; replicas on
 * unreachable brokers have no size).
 */
export async function replicaSizes(admin: Admin): Promise<ReplicaSizes> {
  const out: ReplicaSizes = new Map();
  for (const dir of (await reachableLogDirs(admin)).dirs) {
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
