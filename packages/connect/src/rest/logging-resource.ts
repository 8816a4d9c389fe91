import type { FastifyInstance } from 'fastify';
import { ConnectRestException } from '../runtime/connect-errors.js';
import type { Herder } from '../runtime/herder.js';
import { getLogger, LOGGERS, type Loggers, parseLevel } from '../runtime/loggers.js';

const log = getLogger('org.apache.kafka.connect.runtime.rest.resources.LoggingResource');

const LOGGER_PARAMS = {
  type: 'object',
  properties: { logger: { type: 'string' } },
  required: ['logger'],
} as const;

/**
 * Kafka's LoggingResource (KIP-495, with KIP-976's `scope`): `/admin/loggers` lists and sets the
 * levels of this worker's loggers. `scope=cluster` has the herder write the level for every
 * worker (distributed mode) and answers 204; the default `worker` scope answers 200 with the
 * loggers whose level changed. An unknown scope is taken as `worker`, with a warning, as Kafka does.
 */
export function registerLoggingResource(app: FastifyInstance, herder: Herder, loggers: Loggers = LOGGERS): void {
  app.get('/admin/loggers', async () => loggers.allLevels());

  app.get<{ Params: { logger: string } }>(
    '/admin/loggers/:logger',
    { schema: { params: LOGGER_PARAMS } },
    async (request) => {
      const level = loggers.level(request.params.logger);
      if (level === undefined) throw new ConnectRestException(404, `Logger ${request.params.logger} not found.`);
      return level;
    },
  );

  app.put<{ Params: { logger: string }; Body: Record<string, string> | null; Querystring: { scope?: string } }>(
    '/admin/loggers/:logger',
    {
      schema: {
        params: LOGGER_PARAMS,
        // Jackson reads the body as Map<String, String>: scalars become strings.
        body: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
        querystring: { type: 'object', properties: { scope: { type: 'string', default: 'worker' } } },
      },
    },
    async (request, reply) => {
      const namespace = request.params.logger;
      const levelString = request.body?.level;
      if (levelString === undefined) {
        throw new ConnectRestException(400, "Desired 'level' parameter was not specified in request.");
      }
      const level = parseLevel(levelString);
      // Kafka answers an unknown level with its NotFoundException, hence 404 rather than 400.
      if (level === undefined) throw new ConnectRestException(404, `invalid log level '${levelString}'.`);
      const scope = (request.query.scope ?? 'worker').toLowerCase();
      if (scope === 'cluster') {
        if (herder.setClusterLoggerLevel !== undefined) await herder.setClusterLoggerLevel(namespace, levelString);
        else loggers.setLevel(namespace, level);
        return reply.code(204).send();
      }
      if (scope !== 'worker') {
        log.warn(
          `connect: WARN Received invalid scope '${request.query.scope}' in request to adjust logging level; will default to worker`,
        );
      }
      return loggers.setLevel(namespace, level);
    },
  );
}
