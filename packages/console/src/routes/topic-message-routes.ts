import { Consumer, type ConsumerRecord, OffsetSpec } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { type Encoding, recordView } from '../record-view.js';
import { integer, offset, topicName } from '../validation.js';

type Query = Partial<
  Record<'from' | 'offset' | 'timestamp' | 'cursor' | 'limit' | 'encoding' | 'q' | 'maxScan', string>
>;
const ENCODINGS: readonly string[] = ['string', 'json', 'hex'];
const FROM = ['earliest', 'latest', 'offset', 'timestamp'];

/** `0:12,1:40`: the next offset of each partition, as a page answers it and the next page takes it. */
function parseCursor(value: string): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (const item of value.split(',')) {
    const [p, o] = item.split(':');
    out.set(integer(p, 'cursor partition', 0, 1_000_000), offset(o, 'cursor offset'));
  }
  return out;
}

function matches(record: ConsumerRecord, needle: string): boolean {
  const has = (b: Uint8Array | null) => b !== null && Buffer.from(b).toString('utf8').toLowerCase().includes(needle);
  return (
    has(record.key) ||
    has(record.value) ||
    record.headers.some((h) => h.key.toLowerCase().includes(needle) || has(h.value))
  );
}

/**
 * GET /api/clusters/:cluster/topics/:topic/messages — every partition at once: from the earliest,
 * the latest `limit`, an offset or a timestamp (ListOffsets by time), or a `cursor` (the previous
 * page's `nextCursor`). With `q`, a case-insensitive search in keys, values and headers that scans
 * at most `maxScan` records and reports how many it scanned. Records are processed in fetch order
 * and each exactly once across pages; a page is shown sorted by timestamp.
 */
export function topicMessageRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string; topic: string }; Querystring: Query }>(
    '/api/clusters/:cluster/topics/:topic/messages',
    { config: { role: 'viewer' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const topic = topicName(request.params.topic);
      const q = request.query;
      const limit = q.limit === undefined ? 50 : integer(q.limit, 'limit', 1, 500);
      const encoding = q.encoding ?? 'string';
      if (!ENCODINGS.includes(encoding))
        throw new HttpError(400, `invalid encoding '${encoding}': string, json or hex`);
      const from = q.from ?? 'latest';
      if (!FROM.includes(from)) throw new HttpError(400, `invalid from '${from}': ${FROM.join(', ')}`);
      const at = from === 'offset' ? offset(q.offset) : from === 'timestamp' ? offset(q.timestamp, 'timestamp') : 0n;
      const cursor = q.cursor === undefined ? undefined : parseCursor(q.cursor);
      const needle = q.q === undefined || q.q === '' ? undefined : q.q.toLowerCase();
      const maxScan = q.maxScan === undefined ? 10_000 : integer(q.maxScan, 'maxScan', 1, 100_000);

      const [described] = await entry.admin.describeTopics([topic]);
      if (described === undefined) throw new HttpError(404, `topic '${topic}' does not exist`);
      const partitions = described.partitions.map((p) => p.partition);
      const list = (timestamp: bigint) =>
        entry.admin.listOffsets(partitions.map((partition) => ({ topic, partition, timestamp })));
      const [starts, ends, byTime] = await Promise.all([
        list(OffsetSpec.EARLIEST),
        list(OffsetSpec.LATEST),
        from === 'timestamp' && cursor === undefined ? list(at) : Promise.resolve([]),
      ]);
      const startOf = (p: number) => starts.find((s) => s.partition === p)?.offset ?? 0n;
      const endOf = (p: number) => ends.find((s) => s.partition === p)?.offset ?? 0n;
      const next = new Map<number, bigint>();
      for (const p of partitions) {
        const lo = startOf(p);
        const hi = endOf(p);
        let position: bigint;
        if (cursor !== undefined) position = cursor.get(p) ?? hi;
        else if (from === 'earliest') position = lo;
        else if (from === 'latest') position = hi - BigInt(limit);
        else if (from === 'offset') position = at;
        else {
          const found = byTime.find((s) => s.partition === p)?.offset ?? -1n;
          position = found >= 0n ? found : hi; // no record at or after the timestamp
        }
        next.set(p, position < lo ? lo : position > hi ? hi : position);
      }

      const records: ConsumerRecord[] = [];
      let scanned = 0;
      const budget = needle === undefined ? Number.POSITIVE_INFINITY : maxScan;
      const pending = () => partitions.filter((p) => (next.get(p) ?? 0n) < endOf(p));
      if (pending().length > 0) {
        const consumer = new Consumer({
          ...entry.clientProperties('samsa-console-browser'),
          'enable.auto.commit': 'false',
        });
        try {
          consumer.assign(pending().map((partition) => ({ topic, partition })));
          for (const p of pending()) consumer.seek({ topic, partition: p }, next.get(p) ?? 0n);
          const deadline = Date.now() + 10_000;
          scan: while (pending().length > 0 && Date.now() < deadline) {
            for (const r of await consumer.poll({ timeoutMs: 500 })) {
              if (records.length >= limit || scanned >= budget) break scan;
              if (r.offset < (next.get(r.partition) ?? 0n) || r.offset >= endOf(r.partition)) continue;
              scanned++;
              next.set(r.partition, r.offset + 1n);
              if (needle === undefined || matches(r, needle)) records.push(r);
            }
          }
        } finally {
          await consumer.close();
        }
      }
      records.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || Number(a.offset - b.offset));
      return {
        topic,
        records: records.map((r) => recordView(r, encoding as Encoding)),
        scanned,
        reachedEnd: pending().length === 0,
        nextCursor: partitions.map((p) => `${p}:${next.get(p)}`).join(','),
      };
    },
  );
}
