import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { TOPIC_CONFIG_DOCS, topicConfigDoc, topicConfigValueProblem } from '../topic-config-docs.js';
import { topicName } from '../validation.js';
import { objectBody } from './topic-routes.js';

type Params = { cluster: string; topic: string };

const CONFIG_NAME = /^[a-z0-9][a-z0-9._-]{0,254}$/;

/**
 * A topic's configs with where each value comes from (DescribeConfigs' source: DEFAULT_CONFIG,
 * DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, …) and Kafka's documentation, and their edit with
 * IncrementalAlterConfigs (set and delete; a deleted key falls back to the broker's value).
 */
export function topicConfigRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get('/api/topic-config-docs', { config: { role: 'viewer' } }, async () => ({ configs: TOPIC_CONFIG_DOCS }));

  app.get<{ Params: Params }>(
    '/api/clusters/:cluster/topics/:topic/configs',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const name = topicName(request.params.topic);
      const [described] = await admin.describeConfigs([{ type: 'topic', name }], {
        includeSynonyms: true,
        includeDocumentation: true,
      });
      return {
        topic: name,
        configs: (described?.configs ?? []).map((c) => ({
          name: c.name,
          value: c.isSensitive ? null : c.value,
          source: c.source,
          isDefault: c.isDefault,
          readOnly: c.readOnly,
          sensitive: c.isSensitive,
          synonyms: c.synonyms.map((s) => ({ ...s, value: c.isSensitive ? null : s.value })),
          documentation: topicConfigDoc(c.name)?.doc ?? c.documentation,
        })),
      };
    },
  );

  app.patch<{ Params: Params; Body: unknown; Querystring: { validateOnly?: string } }>(
    '/api/clusters/:cluster/topics/:topic/configs',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const name = topicName(request.params.topic);
      const body = objectBody(request.body);
      const set = body.set ?? {};
      const remove = body.delete ?? [];
      if (typeof set !== 'object' || set === null || Array.isArray(set)) {
        throw new HttpError(400, 'invalid set: an object of config names to string values');
      }
      if (!Array.isArray(remove)) throw new HttpError(400, 'invalid delete: an array of config names');
      const ops: { name: string; op: 'set' | 'delete'; value?: string }[] = [];
      for (const [key, value] of Object.entries(set)) {
        if (!CONFIG_NAME.test(key)) throw new HttpError(400, `invalid config name ${JSON.stringify(key)}`);
        if (typeof value !== 'string') throw new HttpError(400, `invalid value of ${key}: a string`);
        const problem = topicConfigValueProblem(key, value.trim());
        if (problem !== undefined) throw new HttpError(400, problem);
        ops.push({ name: key, op: 'set', value: value.trim() });
      }
      for (const key of remove) {
        if (typeof key !== 'string' || !CONFIG_NAME.test(key)) {
          throw new HttpError(400, `invalid config name ${JSON.stringify(key)}`);
        }
        if (key in set) throw new HttpError(400, `${key} is both set and deleted`);
        ops.push({ name: key, op: 'delete' });
      }
      if (ops.length === 0) throw new HttpError(400, 'nothing to change: give set or delete');
      const validateOnly = request.query.validateOnly === 'true';
      await admin.incrementalAlterConfigs([{ type: 'topic', name, ops }], { validateOnly });
      return { topic: name, validateOnly, changed: ops.map((o) => o.name) };
    },
  );
}
