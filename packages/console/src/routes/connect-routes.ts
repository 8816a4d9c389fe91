import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { integer, stringMap } from '../validation.js';
import { objectBody } from './topic-routes.js';

/** Connector names as Kafka Connect accepts them (no ISO control characters), 1 to 249 long. */
function connectorName(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.length > 249 ||
    [...value].some((ch) => (ch.codePointAt(0) as number) < 0x20 || ch === '\u007f')
  )
    throw new HttpError(400, `invalid connector name ${JSON.stringify(value)}`);
  return value;
}

interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
  type?: string;
}
interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type?: string;
}

type Params = { cluster: string; connect: string };
type ConnectorParams = Params & { name: string };

const BASE = '/api/clusters/:cluster/connects/:connect';

/**
 * Kafka Connect, as kafka-ui shows it: the Connect clusters of a Kafka cluster, their connectors
 * with state and tasks, create from JSON, change the config, pause/resume/stop, restart (also one
 * task, or only the failed ones), delete, and the installed plugins. The console calls Connect's
 * REST API itself; the browser never sees the worker's address.
 */
export function connectRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  const connectOf = (p: Params) => cluster(p.cluster).connect(p.connect);
  const path = (p: ConnectorParams, rest = '') => `/connectors/${encodeURIComponent(connectorName(p.name))}${rest}`;

  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/connects',
    { config: { role: 'viewer' } },
    async (request) => ({
      connects: (cluster(request.params.cluster).config.connect ?? []).map((c) => ({ name: c.name })),
    }),
  );

  app.get<{ Params: Params }>(`${BASE}/connectors`, { config: { role: 'viewer' } }, async (request) => {
    const connect = connectOf(request.params);
    const [worker, expanded] = await Promise.all([
      connect.call<{ version: string; kafka_cluster_id: string }>('GET', '/'),
      connect.call<Record<string, { status: ConnectorStatus; info: ConnectorInfo }>>(
        'GET',
        '/connectors?expand=status&expand=info',
      ),
    ]);
    const connectors = Object.values(expanded)
      .map(({ status, info }) => ({
        name: info.name,
        type: info.type ?? status.type ?? 'unknown',
        state: status.connector.state,
        workerId: status.connector.worker_id,
        trace: status.connector.trace ?? null,
        tasks: status.tasks.map((t) => ({ id: t.id, state: t.state, workerId: t.worker_id, trace: t.trace ?? null })),
        config: info.config,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return { version: worker.version, kafkaClusterId: worker.kafka_cluster_id, connectors };
  });

  app.post<{ Params: Params; Body: unknown }>(
    `${BASE}/connectors`,
    { config: { role: 'admin' } },
    async (request, reply) => {
      const body = objectBody(request.body);
      const name = connectorName(body.name);
      const config = stringMap(body.config, 'connector config');
      if (config['connector.class'] === undefined) throw new HttpError(400, 'the config needs connector.class');
      const created = await connectOf(request.params).call<ConnectorInfo>('POST', '/connectors', { name, config });
      reply.code(201);
      return created;
    },
  );

  app.put<{ Params: ConnectorParams; Body: unknown }>(
    `${BASE}/connectors/:name/config`,
    { config: { role: 'admin' } },
    async (request) => {
      const config = stringMap(request.body, 'connector config');
      return connectOf(request.params).call<ConnectorInfo>('PUT', path(request.params, '/config'), config);
    },
  );

  app.delete<{ Params: ConnectorParams }>(
    `${BASE}/connectors/:name`,
    { config: { role: 'admin' } },
    async (request, reply) => {
      await connectOf(request.params).call('DELETE', path(request.params));
      reply.code(204);
    },
  );

  for (const action of ['pause', 'resume', 'stop'] as const) {
    app.put<{ Params: ConnectorParams }>(
      `${BASE}/connectors/:name/${action}`,
      { config: { role: 'operator' } },
      async (request, reply) => {
        await connectOf(request.params).call('PUT', path(request.params, `/${action}`));
        reply.code(202);
        return { name: request.params.name, action };
      },
    );
  }

  app.post<{ Params: ConnectorParams; Querystring: { includeTasks?: string; onlyFailed?: string } }>(
    `${BASE}/connectors/:name/restart`,
    { config: { role: 'operator' } },
    async (request, reply) => {
      const flag = (v: string | undefined, what: string) => {
        if (v === undefined || v === 'true' || v === 'false') return v === 'true';
        throw new HttpError(400, `${what} is true or false`);
      };
      const query = `?includeTasks=${flag(request.query.includeTasks, 'includeTasks')}&onlyFailed=${flag(request.query.onlyFailed, 'onlyFailed')}`;
      const answer = await connectOf(request.params).call<unknown>('POST', path(request.params, `/restart${query}`));
      reply.code(202);
      return answer ?? { name: request.params.name, restarted: true };
    },
  );

  app.post<{ Params: ConnectorParams & { task: string } }>(
    `${BASE}/connectors/:name/tasks/:task/restart`,
    { config: { role: 'operator' } },
    async (request, reply) => {
      const task = integer(request.params.task, 'task id', 0, 100000);
      await connectOf(request.params).call('POST', path(request.params, `/tasks/${task}/restart`));
      reply.code(202);
      return { name: request.params.name, task };
    },
  );

  app.get<{ Params: Params }>(`${BASE}/connector-plugins`, { config: { role: 'viewer' } }, async (request) => ({
    plugins: await connectOf(request.params).call<{ class: string; type: string; version: string }[]>(
      'GET',
      '/connector-plugins',
    ),
  }));
}
