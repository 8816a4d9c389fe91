import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { integer, topicName } from '../validation.js';
import { objectBody } from './topic-routes.js';

/**
 * POST /api/clusters/:cluster/elections — a preferred (or unclean) leader election for a topic's
 * partitions (all of them if `partitions` is omitted), by the controller through ElectLeaders.
 * Each partition's outcome is returned; ELECTION_NOT_NEEDED means the preferred leader already leads.
 */
export function electionRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.post<{ Params: { cluster: string }; Body: unknown }>(
    '/api/clusters/:cluster/elections',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const body = objectBody(request.body);
      const topic = topicName(body.topic);
      const type = body.type ?? 'preferred';
      if (type !== 'preferred' && type !== 'unclean') {
        throw new HttpError(400, `invalid election type ${JSON.stringify(type)}: preferred or unclean`);
      }
      let partitions: number[];
      if (body.partitions === undefined) {
        const [described] = await admin.describeTopics([topic]);
        if (described === undefined) throw new HttpError(404, `topic '${topic}' does not exist`);
        partitions = described.partitions.map((p) => p.partition);
      } else {
        if (!Array.isArray(body.partitions) || body.partitions.length === 0) {
          throw new HttpError(400, 'invalid partitions: a non-empty array of partition ids');
        }
        partitions = body.partitions.map((p) => integer(p, 'partition', 0, 2147483647));
      }
      const results = await admin.electLeaders(
        type === 'preferred' ? 'PREFERRED' : 'UNCLEAN',
        partitions.map((partition) => ({ topic, partition })),
      );
      return {
        results: results.map((r) => ({
          topic: r.topic,
          partition: r.partition,
          error: r.error === null ? null : r.error.errorName,
          message: r.error === null ? null : r.error.message,
        })),
      };
    },
  );
}
