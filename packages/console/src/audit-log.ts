import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from './cluster-entry.js';
import { HttpError } from './http-error.js';
import { partitionBounds, readRange } from './routes/message-routes.js';
import { isMutating } from './security/access-control.js';
import type { Role } from './security/roles.js';
import { integer } from './validation.js';

/** One change made through the console, as a JSON record on the cluster's audit topic. */
export interface AuditEntry {
  readonly user: string | null;
  readonly role: Role;
  readonly method: string;
  /** The URL path asked for, without the query string. */
  readonly path: string;
  /** The route pattern (`/api/clusters/:cluster/topics/:topic`) and its params. */
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  readonly cluster: string;
  /** The HTTP status answered: 2xx done, 4xx/5xx attempted and failed. */
  readonly status: number;
  readonly timestampMs: number;
}

/**
 * The audit log: every change (a non-GET /api call other than login and logout) that passed the
 * access check is produced to `topic` on the cluster it was made on, with its status — successes
 * and failures alike, so an attempt that the cluster refused is visible too. Refusals by the
 * access check itself (401/403) are not written: they would let anyone fill the topic. The record
 * is produced before the answer is sent, so a change acknowledged to the browser is in the log
 * (unless the log write itself failed, which is reported on stderr; the change is not undone).
 * The topic (one partition, the broker's replication factor) is created on first use.
 */
export class AuditLog {
  private readonly ready = new WeakMap<ClusterEntry, Promise<void>>();

  constructor(readonly topic: string) {}

  async append(entry: ClusterEntry, record: AuditEntry): Promise<void> {
    await this.ensureTopic(entry);
    const producer = await entry.producerOf();
    await producer.send({
      topic: this.topic,
      partition: 0,
      key: record.user === null ? null : Buffer.from(record.user),
      value: Buffer.from(JSON.stringify(record)),
    });
  }

  /** The latest `limit` entries, newest first; none while the topic does not exist. */
  async latest(entry: ClusterEntry, limit: number): Promise<AuditEntry[]> {
    const topics = await entry.admin.listTopics({ listInternal: true });
    if (!topics.includes(this.topic)) return [];
    const { start, end } = await partitionBounds(entry, this.topic, 0);
    const from = end - BigInt(limit) > start ? end - BigInt(limit) : start;
    const records = await readRange(entry, this.topic, 0, from, end, limit);
    const entries: AuditEntry[] = [];
    for (const r of records) {
      try {
        entries.push(JSON.parse(r.value?.toString('utf8') ?? 'null') as AuditEntry);
      } catch {
        // Not ours (someone else produced to the topic): skipped.
      }
    }
    return entries.filter((e) => typeof e === 'object' && e !== null).reverse();
  }

  private ensureTopic(entry: ClusterEntry): Promise<void> {
    let ready = this.ready.get(entry);
    if (ready === undefined) {
      ready = (async () => {
        const topics = await entry.admin.listTopics({ listInternal: true });
        if (topics.includes(this.topic)) return;
        try {
          await entry.admin.createTopics([{ name: this.topic, numPartitions: 1, replicationFactor: -1 }]);
        } catch (error) {
          if ((error as { errorName?: string }).errorName !== 'TOPIC_ALREADY_EXISTS') throw error;
        }
      })();
      // A failure is not cached: the next change tries again.
      ready.catch(() => this.ready.delete(entry));
      this.ready.set(entry, ready);
    }
    return ready;
  }
}

/**
 * Writes the audit record of every allowed change (see AuditLog) and serves
 * `GET /api/clusters/:cluster/audit?limit=` (admin, 50 by default, at most 1000). Without users
 * (`log` undefined) nothing is written and the route answers 404: who made a change is the point.
 */
export function auditRoutes(
  app: FastifyInstance,
  cluster: (name: string) => ClusterEntry,
  log: AuditLog | undefined,
): void {
  if (log === undefined) {
    app.get('/api/clusters/:cluster/audit', { config: { role: 'admin' } }, async () => {
      throw new HttpError(404, 'the audit log is written only when the console has users (a config file with users)');
    });
    return;
  }
  app.addHook('onSend', async (request, reply, payload) => {
    const identity = request.consoleIdentity;
    const route = request.routeOptions.url;
    if (identity === null || route === undefined || !isMutating(request.method)) return payload;
    if (request.routeOptions.config.account === true) return payload;
    const params = (request.params ?? {}) as Record<string, string>;
    let entry: ClusterEntry;
    try {
      entry = cluster(params.cluster ?? '');
    } catch {
      return payload; // no such cluster: nothing was changed anywhere
    }
    const record: AuditEntry = {
      user: identity.user,
      role: identity.role,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      route,
      params,
      cluster: entry.name,
      status: reply.statusCode,
      timestampMs: Date.now(),
    };
    try {
      await log.append(entry, record);
    } catch (error) {
      console.error(`console: audit record not written to ${entry.name}/${log.topic}:`, error, record);
    }
    return payload;
  });

  app.get<{ Params: { cluster: string }; Querystring: { limit?: string } }>(
    '/api/clusters/:cluster/audit',
    { config: { role: 'admin' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const limit = request.query.limit === undefined ? 50 : integer(request.query.limit, 'limit', 1, 1000);
      return { topic: log.topic, entries: await log.latest(entry, limit) };
    },
  );
}
