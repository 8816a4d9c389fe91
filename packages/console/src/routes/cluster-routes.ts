import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';

/** GET /api/clusters/:cluster — cluster id, controller and brokers (DescribeCluster). */
export function clusterRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster',
    { config: { role: 'viewer' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const description = await entry.admin.describeCluster();
      return {
        name: entry.name,
        clusterId: description.clusterId,
        controllerId: description.controllerId,
        brokers: description.brokers.map((b) => ({ ...b, controller: b.nodeId === description.controllerId })),
      };
    },
  );
}
