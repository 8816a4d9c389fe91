import type { Metric, Registry } from 'prom-client';

/** One series: its label values and its value. */
export type Sample = readonly [Readonly<Record<string, string | number>>, number];

/** Reads the current series of a metric when Prometheus scrapes. */
export type Samples = () => Iterable<Sample> | Promise<Iterable<Sample>>;

/**
 * A metric whose values live elsewhere (plain fields the hot paths bump, or the broker's state)
 * and are read at scrape time: nothing is hashed or allocated per produce or fetch, and a series
 * that disappeared (a deleted topic) is not reported again.
 *
 * It hands the registry its values directly, in the shape prom-client's own metrics return from
 * `get()`, instead of going through a Gauge's `reset()` + `set(labels)`: those hash every label
 * set, which on a broker with 10,000 partitions made a scrape take 0.26 s instead of 0.20 s.
 */
class CollectedMetric {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    private readonly samples: Samples,
  ) {}

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: unknown[] }> {
    const values: { labels: Readonly<Record<string, string | number>>; value: number }[] = [];
    for (const [labels, value] of await this.samples()) values.push({ labels, value });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The registry's resetMetrics(): the values belong to the broker, not to the registry. */
  reset(): void {}
}

/** A counter read at scrape time (see CollectedMetric). */
export function collectedCounter(registry: Registry, name: string, help: string, samples: Samples): void {
  registry.registerMetric(new CollectedMetric(name, help, 'counter', samples) as unknown as Metric);
}

/** A gauge read at scrape time (see CollectedMetric). */
export function collectedGauge(registry: Registry, name: string, help: string, samples: Samples): void {
  registry.registerMetric(new CollectedMetric(name, help, 'gauge', samples) as unknown as Metric);
}

/** A single unlabelled value. */
export function one(value: number): Sample[] {
  return [[{}, value]];
}
