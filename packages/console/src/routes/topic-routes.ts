import { OffsetSpec } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { leaderSize, replicaSizes } from '../log-dir-sizes.js';
import { integer, stringMap, topicName } from '../validation.js';
import { samplerOf } from './throughput-routes.js';

type Params = { cluster: string; topic: string };

/** Topics: list, describe (partitions with offsets, configs), create, delete, add partitions. */
export function topicRoutes(
  app: FastifyInstance,
  cluster: (name: string) => ClusterEntry,
  throughputSampleMs = 5000,
): void {
  app.get<{ Params: { cluster: string }; Querystring: { internal?: string } }>(
    '/api/clusters/:cluster/topics',
    { config: { role: 'viewer' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const { admin } = entry;
      const rates = samplerOf(entry, throughputSampleMs).topicRates();
      const names = await admin.listTopics({ listInternal: request.query.internal === 'true' });
      if (names.length === 0) return { topics: [] };
      const [described, sizes] = await Promise.all([admin.describeTopics(names), replicaSizes(admin)]);
      return {
        topics: described.map((t) => ({
          name: t.name,
          internal: t.isInternal,
          partitions: t.partitions.length,
          replicationFactor: t.partitions[0]?.replicas.length ?? 0,
          underReplicated: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
          offline: t.partitions.filter((p) => p.leader < 0).length,
          // Bytes of the leaders' replicas: the data once, not times the replication factor.
          size: t.partitions
            .reduce((sum, p) => sum + BigInt(leaderSize(sizes, t.name, p.partition, p.leader) ?? 0), 0n)
            .toString(),
          messagesPerSec: rates.get(t.name) ?? null,
        })),
      };
    },
  );

  app.get<{ Params: Params }>(
    '/api/clusters/:cluster/topics/:topic',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const name = topicName(request.params.topic);
      const [topic] = await admin.describeTopics([name]);
      if (topic === undefined) throw new HttpError(404, `topic '${name}' does not exist`);
      const queries = (timestamp: bigint) =>
        topic.partitions.map((p) => ({ topic: name, partition: p.partition, timestamp }));
      const [starts, ends, configs, sizes] = await Promise.all([
        admin.listOffsets(queries(OffsetSpec.EARLIEST)),
        admin.listOffsets(queries(OffsetSpec.LATEST)),
        admin.describeConfigs([{ type: 'topic', name }]),
        replicaSizes(admin),
      ]);
      return {
        name,
        topicId: topic.topicId,
        internal: topic.isInternal,
        partitions: topic.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          logStartOffset: starts.find((o) => o.partition === p.partition)?.offset.toString() ?? null,
          logEndOffset: ends.find((o) => o.partition === p.partition)?.offset.toString() ?? null,
          size: leaderSize(sizes, name, p.partition, p.leader),
        })),
        configs: (configs[0]?.configs ?? []).map((c) => ({
          name: c.name,
          value: c.isSensitive ? null : c.value,
          source: c.source,
          isDefault: c.isDefault,
          readOnly: c.readOnly,
        })),
      };
    },
  );

  app.post<{ Params: { cluster: string }; Body: unknown }>(
    '/api/clusters/:cluster/topics',
    { config: { role: 'operator' } },
    async (request, reply) => {
      const { admin } = cluster(request.params.cluster);
      const body = objectBody(request.body);
      const name = topicName(body.name);
      const numPartitions = body.partitions === undefined ? -1 : integer(body.partitions, 'partitions', 1, 100000);
      const replicationFactor =
        body.replicationFactor === undefined ? -1 : integer(body.replicationFactor, 'replication factor', 1, 32767);
      const created = await admin.createTopics([
        { name, numPartitions, replicationFactor, configs: stringMap(body.configs, 'config') },
      ]);
      reply.code(201);
      return created[0];
    },
  );

  app.delete<{ Params: Params }>(
    '/api/clusters/:cluster/topics/:topic',
    { config: { role: 'admin' } },
    async (request, reply) => {
      const { admin } = cluster(request.params.cluster);
      await admin.deleteTopics([topicName(request.params.topic)]);
      reply.code(204);
    },
  );

  app.post<{ Params: Params; Body: unknown }>(
    '/api/clusters/:cluster/topics/:topic/partitions',
    { config: { role: 'operator' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const name = topicName(request.params.topic);
      const totalCount = integer(objectBody(request.body).totalCount, 'partition count', 1, 100000);
      await admin.createPartitions([{ topic: name, totalCount }]);
      return { topic: name, totalCount };
    },
  );
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'expected a JSON object');
  return body as Record<string, unknown>;
}
