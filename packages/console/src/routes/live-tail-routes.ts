import { once } from 'node:events';
import { Consumer } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { type Encoding, recordView } from '../record-view.js';
import { topicName } from '../validation.js';

const ENCODINGS: readonly string[] = ['string', 'json', 'hex'];
/** At most this many records of one poll are sent; the rest are counted as skipped (a browser cannot show more). */
const MAX_BATCH = 100;
const KEEPALIVE_MS = 15_000;

const tails = new WeakMap<FastifyInstance, Map<Promise<void>, AbortController>>();

/** Live tails open on this server (each owns one Consumer); 0 once every browser has stopped. */
export function liveTailCount(app: FastifyInstance): number {
  return tails.get(app)?.size ?? 0;
}

/**
 * GET /api/clusters/:cluster/topics/:topic/tail — Server-Sent Events: a group-less Consumer
 * assigned to the end of every partition (so it joins no group and commits nothing) sends each new
 * record as a `data:` event. `event: ready` follows once every partition's position is known, so
 * a record produced after it is always seen. The consumer is closed when the browser closes the
 * stream (EventSource.close, a closed tab) or the server stops. At most `maxTails` at once (429).
 */
export function liveTailRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry, maxTails = 16): void {
  const open = new Map<Promise<void>, AbortController>();
  tails.set(app, open);
  // Before the server stops waiting for connections: an event stream never ends by itself.
  app.addHook('preClose', async () => {
    for (const controller of open.values()) controller.abort();
    await Promise.allSettled([...open.keys()]);
  });
  app.get<{ Params: { cluster: string; topic: string }; Querystring: { encoding?: string } }>(
    '/api/clusters/:cluster/topics/:topic/tail',
    { config: { role: 'viewer' } },
    async (request, reply) => {
      const entry = cluster(request.params.cluster);
      const topic = topicName(request.params.topic);
      const encoding = request.query.encoding ?? 'string';
      if (!ENCODINGS.includes(encoding))
        throw new HttpError(400, `invalid encoding '${encoding}': string, json or hex`);
      const [described] = await entry.admin.describeTopics([topic]);
      if (described === undefined) throw new HttpError(404, `topic '${topic}' does not exist`);
      const partitions = described.partitions.map((p) => ({ topic, partition: p.partition }));
      if (open.size >= maxTails)
        throw new HttpError(429, `${open.size} live tails are open, the most this console allows`, 'TOO_MANY_TAILS');

      const controller = new AbortController();
      const signal = controller.signal;
      const raw = reply.raw;
      // Registered first: a browser that leaves while the positions are looked up still ends the tail.
      raw.on('close', () => controller.abort());
      const consumer = new Consumer({
        ...entry.clientProperties('samsa-console-tail'),
        'enable.auto.commit': 'false',
      });
      const send = async (text: string) => {
        if (!raw.write(text)) await once(raw, 'drain', { signal });
      };
      let streaming = false;
      const run = async () => {
        try {
          consumer.assign(partitions);
          consumer.seekToEnd(partitions);
          // Resolves the "latest" reset now: records produced after `ready` are all delivered.
          await Promise.all(partitions.map((tp) => consumer.position(tp)));
          if (signal.aborted) return;
          streaming = true;
          raw.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          });
          await send(`event: ready\ndata: ${JSON.stringify({ partitions: partitions.length })}\n\n`);
          let quietSince = Date.now();
          while (!signal.aborted) {
            const records = await consumer.poll({ timeoutMs: 1000, signal });
            if (records.length === 0) {
              if (Date.now() - quietSince >= KEEPALIVE_MS) {
                await send(': keepalive\n\n');
                quietSince = Date.now();
              }
              continue;
            }
            quietSince = Date.now();
            const shown = records.slice(-MAX_BATCH);
            if (records.length > shown.length)
              await send(`event: skipped\ndata: ${JSON.stringify({ count: records.length - shown.length })}\n\n`);
            for (const r of shown) await send(`data: ${JSON.stringify(recordView(r, encoding as Encoding))}\n\n`);
          }
        } catch (error) {
          if (!signal.aborted) {
            const message = error instanceof Error ? error.message : 'tail failed';
            if (streaming) raw.write(`event: failed\ndata: ${JSON.stringify({ message })}\n\n`);
            else {
              raw.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
              raw.write(JSON.stringify({ error: 'CLUSTER_UNAVAILABLE', message }));
            }
          }
        } finally {
          await consumer.close().catch(() => undefined);
          raw.end();
        }
      };
      reply.hijack();
      const running = run().finally(() => open.delete(running));
      open.set(running, controller);
    },
  );
}
