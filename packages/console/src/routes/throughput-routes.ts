import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { ThroughputSampler } from '../throughput-sampler.js';

const samplers = new WeakMap<ClusterEntry, ThroughputSampler>();
const running = new Set<ThroughputSampler>();

/** The cluster's sampler, started on first use (a console nobody looks at samples nothing). */
export function samplerOf(entry: ClusterEntry, intervalMs: number): ThroughputSampler {
  let sampler = samplers.get(entry);
  if (sampler === undefined) {
    sampler = new ThroughputSampler(entry.admin, intervalMs, entry.config.metricsPort);
    samplers.set(entry, sampler);
    running.add(sampler);
    sampler.start();
  }
  return sampler;
}

/** GET /api/clusters/:cluster/throughput — messages and bytes in per second, sampled by the console. */
export function throughputRoutes(
  app: FastifyInstance,
  cluster: (name: string) => ClusterEntry,
  intervalMs: number,
): void {
  app.addHook('onClose', async () => {
    for (const s of running) s.stop();
    running.clear();
  });
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/throughput',
    { config: { role: 'viewer' } },
    async (request) => {
      const sampler = samplerOf(cluster(request.params.cluster), intervalMs);
      return {
        intervalMs: sampler.intervalMs,
        bytesOut:
          sampler.metricsPort === undefined
            ? 'not measurable through the Kafka protocol: set the cluster’s metricsPort (the brokers’ metrics.listener port) to read it from their metrics'
            : `from the brokers’ metrics on port ${sampler.metricsPort}`,
        points: sampler.series(),
      };
    },
  );
}
