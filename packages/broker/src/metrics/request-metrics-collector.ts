import { errorByCode } from '@samsa/protocol';
import type { Registry } from 'prom-client';
import { collectedCounter, type Sample } from './collected-metrics.js';
import type { RequestMetrics } from './request-metrics.js';
import { registerRequestTimeHistogram } from './request-time-histogram.js';

/** Kafka's `kafka.network:type=RequestMetrics` MBeans under the JMX exporter's names. */
export function registerRequestMetrics(registry: Registry, metrics: RequestMetrics): void {
  collectedCounter(
    registry,
    'kafka_network_requestmetrics_requests_total',
    'Requests handled, by request name and API version',
    () => {
      const samples: Sample[] = [];
      for (const stats of metrics.all()) {
        stats.byVersion.forEach((count, version) => {
          samples.push([{ request: stats.name, version }, count]);
        });
      }
      return samples;
    },
  );
  collectedCounter(
    registry,
    'kafka_network_requestmetrics_errors_total',
    'Requests answered with a request-level error, by request name and error',
    () => {
      const samples: Sample[] = [];
      for (const stats of metrics.all()) {
        for (const [code, count] of stats.errors)
          samples.push([{ request: stats.name, error: errorByCode(code).name }, count]);
      }
      return samples;
    },
  );
  registerRequestTimeHistogram(registry, metrics);
}
