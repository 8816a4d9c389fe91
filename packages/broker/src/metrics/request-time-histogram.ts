import type { Metric, Registry } from 'prom-client';
import { REQUEST_TIME_BUCKETS_MS, type RequestMetrics } from './request-metrics.js';

interface HistogramValue {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/**
 * `kafka_network_requestmetrics_totaltimems` as a Prometheus histogram per request name, read
 * from RequestMetrics' bucket arrays at scrape time. prom-client's own Histogram would hash the
 * label set on every request; this object gives the registry the same shape (`get()` returning
 * `_bucket`/`_sum`/`_count` values) without that cost on the request path.
 */
class RequestTimeHistogram {
  readonly name = 'kafka_network_requestmetrics_totaltimems';
  readonly help = 'Time from a request being read to its response being ready, in milliseconds';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly metrics: RequestMetrics) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: HistogramValue[] } {
    const values: HistogramValue[] = [];
    for (const stats of this.metrics.all()) {
      const request = stats.name;
      let cumulative = 0;
      REQUEST_TIME_BUCKETS_MS.forEach((le, i) => {
        cumulative += stats.buckets[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { request, le }, value: cumulative });
      });
      cumulative += stats.buckets[REQUEST_TIME_BUCKETS_MS.length] as number;
      values.push({ metricName: `${this.name}_bucket`, labels: { request, le: '+Inf' }, value: cumulative });
      values.push({ metricName: `${this.name}_sum`, labels: { request }, value: stats.totalTimeMsSum });
      values.push({ metricName: `${this.name}_count`, labels: { request }, value: stats.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The registry's resetMetrics(); the counts belong to the broker, not to the registry. */
  reset(): void {}
}

export function registerRequestTimeHistogram(registry: Registry, metrics: RequestMetrics): void {
  registry.registerMetric(new RequestTimeHistogram(metrics) as unknown as Metric);
}
