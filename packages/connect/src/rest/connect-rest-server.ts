import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { CONVERTER_CLASSES } from '../converters/converters.js';
import { NotLeaderException } from '../distributed/not-leader-exception.js';
import { configKeyInfo } from '../runtime/config-infos.js';
import { ConnectRestException } from '../runtime/connect-errors.js';
import { type ConnectorOffsets, requireOffsets } from '../runtime/connector-offsets.js';
import type { Herder } from '../runtime/herder.js';
import { getLogger } from '../runtime/loggers.js';
import { transformationPluginConfig, transformationPlugins } from '../transforms/transformation-chain.js';
import { CONNECT_VERSION } from '../version.js';
import { forwardRequest, wasForwarded } from './forward-request.js';
import { registerLoggingResource } from './logging-resource.js';

const log = getLogger('org.apache.kafka.connect.runtime.rest.RestServer');

/** Kafka Connect's config bodies: string values (numbers and booleans are coerced, as Jackson does). */
const CONFIG_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;
const NAME_PARAMS = {
  type: 'object',
  properties: { connector: { type: 'string' } },
  required: ['connector'],
} as const;
const TASK_PARAMS = {
  type: 'object',
  properties: { connector: { type: 'string' }, task: { type: 'integer', minimum: 0 } },
  required: ['connector', 'task'],
} as const;

interface NameParams {
  connector: string;
}
interface TaskParams {
  connector: string;
  task: number;
}

/**
 * Kafka Connect's REST API (the paths, bodies and status codes of Kafka 3.x's ConnectorsResource,
 * ConnectorPluginsResource and RootResource), served by fastify with JSON-schema-checked inputs.
 * Every error is `{"error_code": <status>, "message": "..."}`; a stack never leaves the process.
 */
export class ConnectRestServer {
  private constructor(
    readonly app: FastifyInstance,
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(herder: Herder, host: string, port: number): Promise<ConnectRestServer> {
    const app = Fastify({ logger: false });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof NotLeaderException && error.forwardUrl !== undefined && !wasForwarded(request)) {
        return forwardRequest(request, reply, error.forwardUrl);
      }
      if (error instanceof ConnectRestException) {
        return reply.code(error.statusCode).send({ error_code: error.statusCode, message: error.message });
      }
      if (error.validation !== undefined || (error.statusCode !== undefined && error.statusCode < 500)) {
        const status = error.statusCode ?? 400;
        return reply.code(status).send({ error_code: status, message: error.message });
      }
      log.error('connect: REST request failed:', error);
      return reply.code(500).send({ error_code: 500, message: error.message });
    });
    app.setNotFoundHandler((_request, reply) =>
      reply.code(404).send({ error_code: 404, message: 'HTTP 404 Not Found' }),
    );

    // Kafka Connect's metrics in Prometheus' text format (what the JMX exporter would serve).
    app.get('/metrics', async (_request, reply) =>
      reply.type(herder.metrics.registry.contentType).send(await herder.metrics.scrape()),
    );

    app.get('/', async () => ({ version: CONNECT_VERSION, commit: 'samsa', kafka_cluster_id: herder.kafkaClusterId }));

    app.get<{ Querystring: { expand?: string | string[] } }>(
      '/connectors',
      {
        schema: {
          querystring: {
            type: 'object',
            // Unknown expansions are ignored, as in Kafka.
            properties: { expand: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
      async (request) => {
        const names = herder.connectorNames();
        const expand = [request.query.expand ?? []].flat();
        if (expand.length === 0) return names;
        const out: Record<string, Record<string, unknown>> = {};
        for (const name of names) {
          const item: Record<string, unknown> = {};
          if (expand.includes('status')) item.status = herder.status(name);
          if (expand.includes('info')) item.info = herder.info(name);
          out[name] = item;
        }
        return out;
      },
    );

    app.post<{
      Body: { name?: string; config?: Record<string, string>; initial_state?: 'RUNNING' | 'PAUSED' | 'STOPPED' };
    }>(
      '/connectors',
      {
        schema: {
          body: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              config: CONFIG_MAP,
              // KIP-980
              initial_state: { type: 'string', enum: ['RUNNING', 'PAUSED', 'STOPPED'] },
            },
          },
        },
      },
      async (request, reply) => {
        // As Kafka: a missing name is "" and fails validation of the `name` key.
        const name = (request.body.name ?? '').trim();
        const config = request.body.config ?? {};
        checkName(name, config);
        const { info } = await herder.putConnectorConfig(name, config, false, request.body.initial_state);
        return reply
          .code(201)
          .header('location', `/connectors/${encodeURIComponent(name)}`)
          .send(info);
      },
    );

    app.get<{ Params: NameParams }>('/connectors/:connector', { schema: { params: NAME_PARAMS } }, async (request) =>
      herder.info(request.params.connector),
    );

    app.delete<{ Params: NameParams }>(
      '/connectors/:connector',
      { schema: { params: NAME_PARAMS } },
      async (request, reply) => {
        await herder.deleteConnector(request.params.connector);
        return reply.code(204).send();
      },
    );

    app.get<{ Params: NameParams }>(
      '/connectors/:connector/config',
      { schema: { params: NAME_PARAMS } },
      async (request) => herder.info(request.params.connector).config,
    );

    app.put<{ Params: NameParams; Body: Record<string, string> }>(
      '/connectors/:connector/config',
      { schema: { params: NAME_PARAMS, body: CONFIG_MAP } },
      async (request, reply) => {
        const name = request.params.connector;
        checkName(name, request.body);
        const { created, info } = await herder.putConnectorConfig(name, request.body, true);
        if (created) reply.header('location', `/connectors/${encodeURIComponent(name)}`);
        return reply.code(created ? 201 : 200).send(info);
      },
    );

    app.patch<{ Params: NameParams; Body: Record<string, string | null> }>(
      '/connectors/:connector/config',
      {
        schema: {
          params: NAME_PARAMS,
          body: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
        },
      },
      async (request) => {
        checkName(request.params.connector, request.body);
        return herder.patchConnectorConfig(request.params.connector, request.body);
      },
    );

    app.get<{ Params: NameParams }>(
      '/connectors/:connector/status',
      { schema: { params: NAME_PARAMS } },
      async (request) => herder.status(request.params.connector),
    );

    app.post<{ Params: NameParams; Querystring: { includeTasks?: boolean; onlyFailed?: boolean } }>(
      '/connectors/:connector/restart',
      {
        schema: {
          params: NAME_PARAMS,
          querystring: {
            type: 'object',
            properties: {
              includeTasks: { type: 'boolean', default: false },
              onlyFailed: { type: 'boolean', default: false },
            },
          },
        },
      },
      async (request, reply) => {
        const includeTasks = request.query.includeTasks === true;
        const onlyFailed = request.query.onlyFailed === true;
        const plan = await herder.restartConnector(request.params.connector, includeTasks, onlyFailed);
        if (!includeTasks && !onlyFailed) return reply.code(204).send();
        return reply.code(202).send(plan);
      },
    );

    app.put<{ Params: NameParams }>(
      '/connectors/:connector/pause',
      { schema: { params: NAME_PARAMS } },
      async (request, reply) => {
        await herder.pause(request.params.connector);
        return reply.code(202).send();
      },
    );
    app.put<{ Params: NameParams }>(
      '/connectors/:connector/resume',
      { schema: { params: NAME_PARAMS } },
      async (request, reply) => {
        await herder.resume(request.params.connector);
        return reply.code(202).send();
      },
    );
    app.put<{ Params: NameParams }>(
      '/connectors/:connector/stop',
      { schema: { params: NAME_PARAMS } },
      async (request, reply) => {
        await herder.stopConnectorCommand(request.params.connector);
        return reply.code(204).send();
      },
    );

    // KIP-875: a connector's offsets; changes only while it is STOPPED (the herder checks).
    app.get<{ Params: NameParams }>(
      '/connectors/:connector/offsets',
      { schema: { params: NAME_PARAMS } },
      async (request) => herder.connectorOffsets(request.params.connector),
    );
    app.patch<{ Params: NameParams; Body: Partial<ConnectorOffsets> | null }>(
      '/connectors/:connector/offsets',
      // Entries are checked by the herder with Kafka's messages, which depend on the connector's type.
      { schema: { params: NAME_PARAMS, body: { type: ['object', 'null'] } } },
      async (request) => {
        const offsets = requireOffsets(request.body);
        return { message: await herder.modifyConnectorOffsets(request.params.connector, offsets) };
      },
    );
    app.delete<{ Params: NameParams }>(
      '/connectors/:connector/offsets',
      { schema: { params: NAME_PARAMS } },
      async (request) => ({ message: await herder.modifyConnectorOffsets(request.params.connector, null) }),
    );

    app.get<{ Params: NameParams }>(
      '/connectors/:connector/tasks',
      { schema: { params: NAME_PARAMS } },
      async (request) => herder.taskConfigs(request.params.connector),
    );
    // Kafka's internal endpoint: a worker running a connector has the leader store its task configs.
    app.post<{ Params: NameParams; Body: Record<string, string>[] }>(
      '/connectors/:connector/tasks',
      { schema: { params: NAME_PARAMS, body: { type: 'array', items: CONFIG_MAP } } },
      async (request, reply) => {
        if (herder.putTaskConfigs === undefined) throw new ConnectRestException(404, 'HTTP 404 Not Found');
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        await herder.putTaskConfigs(request.params.connector, request.body, {
          algorithm: header('x-connect-request-signature-algorithm'),
          signature: header('x-connect-authorization'),
          // What the sender signed: its JSON, which parsing and writing again reproduces.
          body: JSON.stringify(request.body),
        });
        return reply.code(204).send();
      },
    );
    app.get<{ Params: TaskParams }>(
      '/connectors/:connector/tasks/:task/status',
      { schema: { params: TASK_PARAMS } },
      async (request) => herder.taskStatus(request.params.connector, request.params.task),
    );
    app.post<{ Params: TaskParams }>(
      '/connectors/:connector/tasks/:task/restart',
      { schema: { params: TASK_PARAMS } },
      async (request, reply) => {
        await herder.restartTask(request.params.connector, request.params.task);
        return reply.code(204).send();
      },
    );

    app.get<{ Params: NameParams }>(
      '/connectors/:connector/topics',
      { schema: { params: NAME_PARAMS } },
      async (request) => ({
        [request.params.connector]: { topics: herder.topics(request.params.connector) },
      }),
    );

    app.put<{ Params: NameParams }>(
      '/connectors/:connector/topics/reset',
      { schema: { params: NAME_PARAMS } },
      async (request, reply) => {
        herder.resetTopics(request.params.connector);
        return reply.code(202).send();
      },
    );

    app.get<{ Querystring: { connectorsOnly?: boolean } }>(
      '/connector-plugins',
      {
        schema: {
          querystring: { type: 'object', properties: { connectorsOnly: { type: 'boolean', default: true } } },
        },
      },
      async (request) => {
        const out: { class: string; type: string; version: string }[] = herder.plugins
          .list()
          .map((p) => ({ class: p.className, type: p.type, version: p.version }));
        if (request.query.connectorsOnly === false) {
          for (const className of CONVERTER_CLASSES)
            out.push({ class: className, type: 'converter', version: CONNECT_VERSION });
          for (const { className, type } of transformationPlugins())
            out.push({ class: className, type, version: CONNECT_VERSION });
        }
        return out;
      },
    );

    // KIP-769: the plugin's config definitions (the connector's own keys).
    app.get<{ Params: { plugin: string } }>('/connector-plugins/:plugin/config', async (request) => {
      const plugin = herder.plugins.find(request.params.plugin);
      const transformation = plugin === undefined ? transformationPluginConfig(request.params.plugin) : undefined;
      if (transformation !== undefined) return transformation.keys().map((key) => configKeyInfo(key));
      if (plugin === undefined) throw new ConnectRestException(404, `Unknown plugin ${request.params.plugin}.`);
      return new plugin.ctor()
        .config()
        .keys()
        .map((key) => configKeyInfo(key));
    });

    app.put<{ Params: { plugin: string }; Body: Record<string, string> }>(
      '/connector-plugins/:plugin/config/validate',
      { schema: { body: CONFIG_MAP } },
      async (request) => herder.validate(request.body, request.params.plugin),
    );

    registerLoggingResource(app, herder);

    const address = await app.listen({ host: host === '' ? '0.0.0.0' : host, port });
    const bound = app.server.address();
    const actualPort = typeof bound === 'object' && bound !== null ? bound.port : port;
    return new ConnectRestServer(app, address, actualPort);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** Kafka refuses a body whose `name` differs from the connector's. */
function checkName(name: string, config: Readonly<Record<string, string | null>>): void {
  const inConfig = config.name;
  if (inConfig !== undefined && inConfig !== name) {
    throw new ConnectRestException(
      400,
      `Connector name configuration (${inConfig}) doesn't match connector name in the URL (${name})`,
    );
  }
}
