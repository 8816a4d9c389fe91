import { Counter, Gauge, type Registry } from 'prom-client';

/** One series: its label values and its value. */
export type Sample = readonly [Readonly<Record<string, string | number>>, number];

/** Reads the current series of a metric when Prometheus scrapes. */
export type Samples = () => Iterable<Sample> | Promise<Iterable<Sample>>;

/**
 * A counter whose values live elsewhere (plain fields the hot paths bump) and are read at scrape
 * time: nothing is hashed or allocated per produce or fetch, and a series that disappeared (a
 * deleted topic) is not reported again.
 */
export function collectedCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  samples: Samples,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const current = await samples();
      this.reset();
      for (const [labels, value] of current) this.inc(labels, value);
    },
  });
}

/** A gauge computed at scrape time (see collectedCounter). */
export function collectedGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  samples: Samples,
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const current = await samples();
      this.reset();
      for (const [labels, value] of current) this.set(labels, value);
    },
  });
}

/** A single unlabelled value. */
export function one(value: number): Sample[] {
  return [[{}, value]];
}
