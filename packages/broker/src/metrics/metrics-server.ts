import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { MetricsListener } from './metrics-listener.js';

/**
 * The HTTP side of `metrics.listener`: `GET /metrics` in Prometheus' text format, 404 elsewhere.
 * fastify is loaded only when the listener is configured, so a broker without metrics pays
 * nothing for it at startup.
 */
export class MetricsServer {
  private constructor(
    private readonly app: FastifyInstance,
    readonly port: number,
  ) {}

  static async start(listener: MetricsListener, registry: Registry, logger: Logger): Promise<MetricsServer> {
    const { default: fastify } = await import('fastify');
    const app = fastify({ logger: false });
    app.get('/metrics', async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).type('text/plain').send(`No such page: ${request.url} (metrics are at /metrics)\n`),
    );
    app.setErrorHandler((err, _request, reply) => {
      logger.error({ err }, 'serving /metrics failed');
      return reply.code(500).type('text/plain').send('collecting metrics failed; see the broker log\n');
    });
    await app.listen({ host: listener.host === '' ? '0.0.0.0' : listener.host, port: listener.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : listener.port;
    logger.info(`Serving Prometheus metrics on http://${listener.host || '0.0.0.0'}:${port}/metrics`);
    return new MetricsServer(app, port);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
