import { AlterReplicaLogDirsApi, ErrorCode, KafkaError } from '@samsa/protocol';
import { compareTopicPartitions } from '../common/topic-partition.js';
import type { Cluster } from '../metadata/cluster.js';
import type { ReplicaLogDirAssignment, ReplicaLogDirResult } from './admin-types.js';

/**
 * AlterReplicaLogDirs, as Java's `Admin.alterReplicaLogDirs`: each request goes to the broker
 * that holds (or will hold) the replica, one request per broker, dirs grouped by path. Each
 * replica gets its own outcome: null once the broker has started the move (or the replica is
 * already there), else the broker's error — REPLICA_NOT_AVAILABLE while the replica does not exist
 * on that broker yet (the broker then creates it in that dir when it comes), LOG_DIR_NOT_FOUND,
 * KAFKA_STORAGE_ERROR. A broker that does not answer for a replica leaves it with
 * UNKNOWN_SERVER_ERROR. Sorted by broker, topic and partition.
 */
export async function alterReplicaLogDirs(
  cluster: Cluster,
  assignments: readonly ReplicaLogDirAssignment[],
): Promise<ReplicaLogDirResult[]> {
  await cluster.fetchMetadata([]);
  const byBroker = new Map<number, ReplicaLogDirAssignment[]>();
  for (const a of assignments) byBroker.set(a.brokerId, [...(byBroker.get(a.brokerId) ?? []), a]);
  const out: ReplicaLogDirResult[] = [];
  await Promise.all(
    [...byBroker].map(async ([brokerId, items]) => {
      const connection = await cluster.connectionTo(brokerId);
      const byPath = new Map<string, Map<string, number[]>>();
      for (const a of items) {
        let topics = byPath.get(a.logDir);
        if (topics === undefined) {
          topics = new Map();
          byPath.set(a.logDir, topics);
        }
        topics.set(a.topic, [...(topics.get(a.topic) ?? []), a.partition]);
      }
      const response = await connection.request(AlterReplicaLogDirsApi, {
        dirs: [...byPath].map(([path, topics]) => ({
          path,
          topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
        })),
      });
      const codes = new Map<string, number>();
      for (const t of response.results) {
        for (const p of t.partitions) codes.set(`${t.topicName}\u0000${p.partitionIndex}`, p.errorCode);
      }
      for (const a of items) {
        const code = codes.get(`${a.topic}\u0000${a.partition}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR;
        out.push({
          topic: a.topic,
          partition: a.partition,
          brokerId,
          error:
            code === ErrorCode.NONE
              ? null
              : new KafkaError(code, `alter log dir of ${a.topic}-${a.partition} on broker ${brokerId}`),
        });
      }
    }),
  );
  return out.sort((a, b) => a.brokerId - b.brokerId || compareTopicPartitions(a, b));
}
