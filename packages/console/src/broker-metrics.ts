/**
 * Bytes out per second has no Kafka API: it lives in each broker's metrics, as Kafka's
 * BrokerTopicMetrics. Like kafka-ui's `metrics.port`, the console reads them from every broker's
 * Prometheus endpoint (`http://<broker host>:<metricsPort>/metrics`, Samsa's `metrics.listener`
 * or Kafka with the JMX exporter, which uses the same names).
 */

/** The all-topics BrokerTopicMetrics counters of one broker. */
export interface BrokerTrafficCounters {
  readonly bytesOut: number;
  readonly bytesIn: number;
  readonly messagesIn: number;
}

const SCRAPE_TIMEOUT_MS = 2000;
// Only the all-topics series (no labels, or empty braces); the per-topic ones carry `topic=`.
const COUNTER = /^kafka_server_brokertopicmetrics_(bytesout|bytesin|messagesin)_total(?:\{\})? (\S+)/;

/** The all-topics counters in a Prometheus text exposition; undefined when bytes out is absent. */
export function parseTrafficCounters(exposition: string): BrokerTrafficCounters | undefined {
  const found = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const match = COUNTER.exec(line);
    if (match === null) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) found.set(match[1] as string, value);
  }
  const bytesOut = found.get('bytesout');
  if (bytesOut === undefined) return undefined;
  return { bytesOut, bytesIn: found.get('bytesin') ?? 0, messagesIn: found.get('messagesin') ?? 0 };
}

/**
 * Scrapes every broker; a broker that does not answer in time (or serves no such metric) is left
 * out of this sample, so a rate is only computed for brokers present in both of its samples.
 */
export async function scrapeBrokers(
  brokers: readonly { nodeId: number; host: string }[],
  metricsPort: number,
): Promise<Map<number, BrokerTrafficCounters>> {
  const out = new Map<number, BrokerTrafficCounters>();
  await Promise.all(
    brokers.map(async (b) => {
      const host = b.host.includes(':') ? `[${b.host}]` : b.host;
      try {
        const response = await fetch(`http://${host}:${metricsPort}/metrics`, {
          signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
        });
        if (!response.ok) return;
        const counters = parseTrafficCounters(await response.text());
        if (counters !== undefined) out.set(b.nodeId, counters);
      } catch {
        // Unreachable or slow: absent from this sample.
      }
    }),
  );
  return out;
}

/**
 * Bytes out per second between two samples: the sum over brokers seen in both. A counter that went
 * down was reset by a broker restart, and counts from zero (as Prometheus' rate() does).
 */
export function bytesOutPerSec(
  before: ReadonlyMap<number, BrokerTrafficCounters>,
  after: ReadonlyMap<number, BrokerTrafficCounters>,
  seconds: number,
): number {
  let bytes = 0;
  for (const [nodeId, b] of after) {
    const a = before.get(nodeId);
    if (a === undefined) continue;
    bytes += b.bytesOut >= a.bytesOut ? b.bytesOut - a.bytesOut : b.bytesOut;
  }
  return bytes / seconds;
}
