import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';

/** A Kafka Streams internal topic: `<application.id>-<name>-changelog` or `-repartition`. */
const INTERNAL_SUFFIX = /-(changelog|repartition)$/;

/**
 * GET /api/clusters/:cluster/streams-apps — Kafka Streams applications, recognised as Kafka's
 * tools do: a group whose id prefixes internal topics (`<group>-…-changelog|-repartition`; the
 * group id is the application.id). Each app is answered with its group's state and members and
 * its internal topics together.
 */
export function streamsAppRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/streams-apps',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const [groups, topics] = await Promise.all([admin.listGroups(), admin.listTopics({ listInternal: true })]);
      const internal = topics.filter((t) => INTERNAL_SUFFIX.test(t));
      const apps = [];
      // ListGroups may name a group twice (one answer per broker asked): one app per group id.
      const ids = [...new Set(groups.map((g) => g.groupId))].sort();
      for (const id of ids) {
        const owned = internal.filter((t) => t.startsWith(`${id}-`)).sort();
        if (owned.length === 0) continue;
        const [description] = await admin.describeGroups([id]);
        apps.push({
          applicationId: id,
          group: { state: description?.state ?? 'Unknown', members: description?.members.length ?? 0 },
          internalTopics: owned.map((name) => ({ name, kind: INTERNAL_SUFFIX.exec(name)?.[1] ?? '' })),
        });
      }
      return { apps };
    },
  );
}
