import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { groupId, topicName } from '../validation.js';

/**
 * DELETE /api/clusters/:cluster/groups/:group/offsets/:topic — deletes the group's committed
 * offsets of every partition of the topic it committed (OffsetDelete). Kafka refuses it while the
 * group's members are subscribed to the topic (GROUP_SUBSCRIBED_TO_TOPIC, a 409).
 */
export function groupOffsetRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.delete<{ Params: { cluster: string; group: string; topic: string } }>(
    '/api/clusters/:cluster/groups/:group/offsets/:topic',
    { config: { role: 'operator' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const id = groupId(request.params.group);
      const topic = topicName(request.params.topic);
      const committed = (await admin.listConsumerGroupOffsets(id)).filter((o) => o.topic === topic);
      if (committed.length === 0) throw new HttpError(404, `group '${id}' has no committed offset for '${topic}'`);
      const partitions = committed.map((o) => ({ topic, partition: o.partition }));
      await admin.deleteConsumerGroupOffsets(id, partitions);
      return { groupId: id, topic, partitions: partitions.map((p) => p.partition) };
    },
  );
}
