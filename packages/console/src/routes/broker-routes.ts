import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { reachableLogDirs } from '../log-dir-sizes.js';

/**
 * GET /api/clusters/:cluster/brokers — per broker: partitions led, replicas held, log dirs with
 * their size and free space (DescribeLogDirs), and the APIs it serves (ApiVersions). The Kafka
 * protocol carries no broker software version, so the console reports the API ranges instead.
 */
export function brokerRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/brokers',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const description = await admin.describeCluster();
      const names = await admin.listTopics({ listInternal: true });
      const topics = names.length === 0 ? [] : await admin.describeTopics(names);
      const { dirs: logDirs, unreachable } = await reachableLogDirs(
        admin,
        description.brokers.map((b) => b.nodeId),
      );
      const brokers = await Promise.all(
        description.brokers.map(async (b) => {
          const apis = await admin.cluster
            .connectionTo(b.nodeId)
            .then((c) => (c.isReady ? c.apiVersions.size : null))
            .catch(() => null);
          const partitions = topics.flatMap((t) => t.partitions);
          return {
            ...b,
            controller: b.nodeId === description.controllerId,
            partitionsLed: partitions.filter((p) => p.leader === b.nodeId).length,
            replicas: partitions.filter((p) => p.replicas.includes(b.nodeId)).length,
            apiCount: apis,
            // Down but still registered (its ZooKeeper session not yet expired): no log dirs.
            reachable: !unreachable.includes(b.nodeId),
            logDirs: logDirs
              .filter((d) => d.broker === b.nodeId)
              .map((d) => ({
                logDir: d.logDir,
                error: d.errorCode === 0 ? null : d.errorCode,
                sizeBytes: d.partitions.reduce((sum, p) => sum + p.size, 0n).toString(),
                totalBytes: d.totalBytes < 0n ? null : d.totalBytes.toString(),
                usableBytes: d.usableBytes < 0n ? null : d.usableBytes.toString(),
              })),
          };
        }),
      );
      return {
        clusterId: description.clusterId,
        controllerId: description.controllerId,
        version: 'not reported: the Kafka protocol carries no broker software version (see the API count per broker)',
        brokers,
      };
    },
  );
}
