/**
 * AlterReplicaLogDirs (key 34), versions 0-2.
 * v1: same as v0. v2: flexible. Moves replicas of this broker between its log dirs (JBOD): each
 * partition's answer is NONE once its move has started (or when there is nothing to move),
 * LOG_DIR_NOT_FOUND, KAFKA_STORAGE_ERROR or REPLICA_NOT_AVAILABLE otherwise — see
 * ReplicaAlterLogDirsManager. A partition named under several dirs goes to the last, as Kafka's
 * map of the request keeps it. Progress shows in DescribeLogDirs (the future replica).
 *
 * ACLs (KafkaApis.handleAlterReplicaLogDirsRequest): ALTER on the cluster, else every partition
 * answers CLUSTER_AUTHORIZATION_FAILED.
 */
import { type AlterReplicaLogDirsRequest, type AlterReplicaLogDirsResponseInput, ApiKey } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const alterReplicaLogDirsHandler = defineHandler<AlterReplicaLogDirsRequest, AlterReplicaLogDirsResponseInput>({
  apiKey: ApiKey.AlterReplicaLogDirs,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.ALTER);
    const destinations = new Map<string, { topic: string; partition: number; path: string }>();
    for (const dir of request.dirs) {
      for (const topic of dir.topics) {
        for (const partition of topic.partitions) {
          destinations.set(`${topic.name}\u0000${partition}`, { topic: topic.name, partition, path: dir.path });
        }
      }
    }
    const assignments = [...destinations.values()];
    const codes = await ctx.services.replicaManager.alterReplicaLogDirs(assignments);
    const byTopic = new Map<string, { partitionIndex: number; errorCode: number }[]>();
    assignments.forEach((a, i) => {
      let partitions = byTopic.get(a.topic);
      if (partitions === undefined) {
        partitions = [];
        byTopic.set(a.topic, partitions);
      }
      partitions.push({ partitionIndex: a.partition, errorCode: codes[i] as number });
    });
    return {
      throttleTimeMs: 0,
      results: [...byTopic].map(([topicName, partitions]) => ({ topicName, partitions })),
    };
  },
  errorResponse: (request, errorCode) => ({
    results: request.dirs.flatMap((d) =>
      d.topics.map((t) => ({
        topicName: t.name,
        partitions: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode })),
      })),
    ),
  }),
});
