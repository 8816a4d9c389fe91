import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { currentAssignment, generatePlan, parseReassignmentJson, type TopicLayout } from '../reassignment-plan.js';
import { integer, topicName } from '../validation.js';
import { objectBody } from './topic-routes.js';

type ClusterParams = { Params: { cluster: string } };

/**
 * Partition reassignment as kafka-reassign-partitions.sh does it: generate a balanced plan for
 * topics over chosen brokers (with the current assignment, for a rollback), execute a plan in
 * Kafka's JSON format (AlterPartitionReassignments), list the moves in progress and cancel them.
 */
export function reassignmentRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.post<ClusterParams & { Body: unknown }>(
    '/api/clusters/:cluster/reassignments/plan',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const body = objectBody(request.body);
      if (!Array.isArray(body.topics) || body.topics.length === 0) {
        throw new HttpError(400, 'invalid topics: a non-empty array of topic names');
      }
      const topics = [...new Set(body.topics.map((t) => topicName(t)))];
      if (!Array.isArray(body.brokers) || body.brokers.length === 0) {
        throw new HttpError(400, 'invalid brokers: a non-empty array of broker ids');
      }
      const brokerIds = body.brokers.map((b) => integer(b, 'broker id', 0, 2147483647));
      const rackAware = body.rackAware === true;
      const described = await admin.describeCluster();
      const brokers = brokerIds.map((id) => {
        const b = described.brokers.find((x) => x.nodeId === id);
        if (b === undefined) throw new HttpError(400, `broker ${id} is not in the cluster`);
        return { id, rack: b.rack };
      });
      const layouts: TopicLayout[] = (await admin.describeTopics(topics)).map((t) => ({
        topic: t.name,
        partitions: [...t.partitions].sort((a, b) => a.partition - b.partition).map((p) => p.replicas),
      }));
      return { current: currentAssignment(layouts), proposed: generatePlan(layouts, brokers, rackAware) };
    },
  );

  app.post<ClusterParams & { Body: unknown }>(
    '/api/clusters/:cluster/reassignments',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const entries = parseReassignmentJson(request.body);
      const known = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId));
      for (const e of entries) {
        const unknown = e.replicas.find((r) => !known.has(r));
        if (unknown !== undefined)
          throw new HttpError(400, `broker ${unknown} (${e.topic}-${e.partition}) is not in the cluster`);
      }
      const results = await admin.alterPartitionReassignments(
        entries.map((e) => ({ topic: e.topic, partition: e.partition, replicas: e.replicas })),
      );
      return { results: results.map(resultView) };
    },
  );

  app.get<ClusterParams>('/api/clusters/:cluster/reassignments', { config: { role: 'viewer' } }, async (request) => {
    const { admin } = cluster(request.params.cluster);
    return { reassignments: await admin.listPartitionReassignments() };
  });

  app.post<ClusterParams & { Body: unknown }>(
    '/api/clusters/:cluster/reassignments/cancel',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const body = request.body === undefined || request.body === null ? {} : objectBody(request.body);
      let partitions: { topic: string; partition: number }[];
      if (body.partitions === undefined) {
        partitions = (await admin.listPartitionReassignments()).map((r) => ({
          topic: r.topic,
          partition: r.partition,
        }));
      } else {
        if (!Array.isArray(body.partitions))
          throw new HttpError(400, 'invalid partitions: an array of { topic, partition }');
        partitions = body.partitions.map((p) => {
          const o = objectBody(p);
          return { topic: topicName(o.topic), partition: integer(o.partition, 'partition', 0, 2147483647) };
        });
      }
      if (partitions.length === 0) return { results: [] };
      const results = await admin.alterPartitionReassignments(partitions.map((p) => ({ ...p, replicas: null })));
      return { results: results.map(resultView) };
    },
  );
}

function resultView(r: { topic: string; partition: number; error: { errorName: string; message: string } | null }) {
  return {
    topic: r.topic,
    partition: r.partition,
    error: r.error?.errorName ?? null,
    message: r.error?.message ?? null,
  };
}
