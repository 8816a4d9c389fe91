import { Consumer, OffsetSpec } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { type Encoding, recordView } from '../record-view.js';
import { integer, offset, stringMap, topicName } from '../validation.js';
import { objectBody } from './topic-routes.js';

type Params = { cluster: string; topic: string; partition: string };
const ENCODINGS: readonly Encoding[] = ['string', 'json', 'hex'];

/**
 * Messages of one partition: browse from an offset (or the latest `limit`), download one value
 * whole, produce one. Browsing assigns a group-less consumer, so it commits nothing and joins no
 * group.
 */
export function messageRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: Params; Querystring: { offset?: string; limit?: string; encoding?: string } }>(
    '/api/clusters/:cluster/topics/:topic/partitions/:partition/messages',
    { config: { role: 'viewer' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const topic = topicName(request.params.topic);
      const partition = integer(request.params.partition, 'partition', 0, 1_000_000);
      const limit = request.query.limit === undefined ? 50 : integer(request.query.limit, 'limit', 1, 500);
      const encoding = (request.query.encoding ?? 'string') as Encoding;
      if (!ENCODINGS.includes(encoding))
        throw new HttpError(400, `invalid encoding '${encoding}': string, json or hex`);
      const latest = request.query.offset === undefined || request.query.offset === 'latest';
      const requested = latest ? undefined : offset(request.query.offset);
      const { start, end } = await partitionBounds(entry, topic, partition);
      // "latest": the last `limit` records; an offset: from there (clamped to the log).
      let from = requested ?? end - BigInt(limit);
      if (from < start) from = start;
      const records = await readRange(entry, topic, partition, from, end, limit);
      return {
        topic,
        partition,
        logStartOffset: start.toString(),
        logEndOffset: end.toString(),
        records: records.map((r) => recordView(r, encoding)),
      };
    },
  );

  app.get<{ Params: Params & { offset: string } }>(
    '/api/clusters/:cluster/topics/:topic/partitions/:partition/messages/:offset/value',
    { config: { role: 'viewer' } },
    async (request, reply) => {
      const entry = cluster(request.params.cluster);
      const topic = topicName(request.params.topic);
      const partition = integer(request.params.partition, 'partition', 0, 1_000_000);
      const at = offset(request.params.offset);
      const { end } = await partitionBounds(entry, topic, partition);
      const [record] = await readRange(entry, topic, partition, at, end, 1);
      if (record === undefined || record.offset !== at) throw new HttpError(404, `no record at offset ${at}`);
      reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${topic}-${partition}-${at}.bin"`);
      return record.value ?? Buffer.alloc(0);
    },
  );

  app.post<{ Params: { cluster: string; topic: string }; Body: unknown }>(
    '/api/clusters/:cluster/topics/:topic/messages',
    { config: { role: 'operator' } },
    async (request, reply) => {
      const entry = cluster(request.params.cluster);
      const topic = topicName(request.params.topic);
      const body = objectBody(request.body);
      if (body.value !== null && typeof body.value !== 'string')
        throw new HttpError(400, 'value must be a string or null');
      if (body.key !== undefined && body.key !== null && typeof body.key !== 'string') {
        throw new HttpError(400, 'key must be a string or null');
      }
      const partition =
        body.partition === undefined || body.partition === null || body.partition === ''
          ? undefined
          : integer(body.partition, 'partition', 0, 1_000_000);
      const producer = await entry.producerOf();
      const metadata = await producer.send({
        topic,
        key: typeof body.key === 'string' ? Buffer.from(body.key) : null,
        value: typeof body.value === 'string' ? Buffer.from(body.value) : null,
        headers: stringMap(body.headers, 'header'),
        ...(partition === undefined ? {} : { partition }),
      });
      reply.code(201);
      return { topic, partition: metadata.partition, offset: metadata.offset.toString() };
    },
  );
}

export async function partitionBounds(entry: ClusterEntry, topic: string, partition: number) {
  // Metadata first: ListOffsets on a missing topic or partition retries until the API timeout
  // (60 s) and then reports LEADER_NOT_AVAILABLE; metadata answers UNKNOWN_TOPIC_OR_PARTITION now.
  const [described] = await entry.admin.describeTopics([topic]);
  if (described?.partitions.some((p) => p.partition === partition) !== true) {
    throw new HttpError(404, `partition ${topic}-${partition} does not exist`);
  }
  const [start] = await entry.admin.listOffsets([{ topic, partition, timestamp: OffsetSpec.EARLIEST }]);
  const [end] = await entry.admin.listOffsets([{ topic, partition, timestamp: OffsetSpec.LATEST }]);
  if (start === undefined || end === undefined) throw new HttpError(404, `${topic}-${partition} does not exist`);
  return { start: start.offset, end: end.offset };
}

/** Reads [from, min(end, from + limit)) with a group-less consumer; stops at the log end. */
export async function readRange(
  entry: ClusterEntry,
  topic: string,
  partition: number,
  from: bigint,
  end: bigint,
  limit: number,
) {
  const records = [];
  if (from >= end) return [];
  const consumer = new Consumer({
    ...entry.clientProperties('samsa-console-browser'),
    'enable.auto.commit': 'false',
    'max.poll.records': String(limit),
  });
  try {
    consumer.assign([{ topic, partition }]);
    consumer.seek({ topic, partition }, from);
    const deadline = Date.now() + 5000;
    while (records.length < limit && Date.now() < deadline) {
      const polled = await consumer.poll({ timeoutMs: 500 });
      for (const r of polled) if (records.length < limit && r.offset < end) records.push(r);
      const last = records.at(-1);
      if (last !== undefined && last.offset + 1n >= end) break;
    }
  } finally {
    await consumer.close();
  }
  return records;
}
