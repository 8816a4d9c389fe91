import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type StandaloneWorker, startStandalone } from '../../src/connect-standalone.js';
import { PostgresCluster } from './postgres-cluster.js';
import { waitFor } from './worker-process.js';

/** A database the tests create tables in and read back from, with the SQL that differs. */
export interface TestDb {
  readonly kind: 'sqlite' | 'postgres';
  readonly url: string;
  /** An auto-assigned integer primary key column type. */
  readonly serial: string;
  /** A timestamp column type, and a parameter value for `ms` since the epoch in it. */
  readonly timestampType: string;
  timestamp(ms: number): unknown;
  exec(sql: string, params?: readonly unknown[]): Promise<void>;
  rows(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** `$1` or `?`. */
  p(index: number): string;
  close(): Promise<void>;
}

export function sqliteDb(path: string): TestDb {
  const db = new Database(path);
  return {
    kind: 'sqlite',
    url: `jdbc:sqlite:${path}`,
    serial: 'INTEGER PRIMARY KEY',
    // Epoch milliseconds, as Confluent's SQLite driver stores timestamps.
    timestampType: 'TIMESTAMP',
    timestamp: (ms) => ms,
    exec: async (sql, params = []) => {
      if (params.length === 0) db.exec(sql);
      else db.prepare(sql).run(...params);
    },
    rows: async (sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    p: () => '?',
    close: async () => {
      db.close();
    },
  };
}

export async function postgresDb(cluster: PostgresCluster, database = 'postgres'): Promise<TestDb> {
  const client = new pg.Client(cluster.clientConfig(database));
  await client.connect();
  return {
    kind: 'postgres',
    url: cluster.jdbcUrl(database),
    serial: 'SERIAL PRIMARY KEY',
    timestampType: 'TIMESTAMP',
    timestamp: (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ''),
    exec: async (sql, params = []) => {
      await client.query(sql, [...params]);
    },
    rows: async (sql, params = []) => (await client.query(sql, [...params])).rows,
    p: (i) => `$${i}`,
    close: async () => {
      await client.end();
    },
  };
}

/** A broker, a PostgreSQL cluster, a temp dir and an in-process standalone worker on them. */
export class JdbcFixture {
  broker!: BrokerProcess;
  postgres!: PostgresCluster;
  worker!: StandaloneWorker;
  dir!: string;
  private readonly dbs: TestDb[] = [];

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'samsa-connect-jdbc-'));
    [this.broker, this.postgres] = await Promise.all([
      BrokerProcess.start({ properties: { 'num.partitions': 1 } }),
      PostgresCluster.start(),
    ]);
    writeFileSync(
      join(this.dir, 'worker.properties'),
      [
        `bootstrap.servers=${this.broker.bootstrap}`,
        'key.converter=org.apache.kafka.connect.json.JsonConverter',
        'value.converter=org.apache.kafka.connect.json.JsonConverter',
        `offset.storage.file.filename=${join(this.dir, 'offsets')}`,
        'offset.flush.interval.ms=200',
        'listeners=http://127.0.0.1:0',
      ].join('\n'),
    );
    await this.startWorker();
  }

  async startWorker(): Promise<void> {
    this.worker = await startStandalone(join(this.dir, 'worker.properties'), []);
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    for (const db of this.dbs) await db.close().catch(() => {});
    await Promise.allSettled([this.broker?.close(), this.postgres?.stop()]);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Both databases, fresh: a new SQLite file named `name`, and a new PostgreSQL database. */
  async databases(name: string): Promise<[TestDb, TestDb]> {
    const sqlite = sqliteDb(join(this.dir, `${name}.db`));
    const admin = await postgresDb(this.postgres);
    await admin.exec(`CREATE DATABASE "${name}"`);
    await admin.close();
    const postgres = await postgresDb(this.postgres, name);
    this.dbs.push(sqlite, postgres);
    return [sqlite, postgres];
  }

  async createTopic(topic: string): Promise<void> {
    const admin = new Admin({ 'bootstrap.servers': this.broker.bootstrap });
    try {
      await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
    } finally {
      await admin.close();
    }
  }

  /** Sends JSON values (and keys) as bytes, as JsonConverter reads them. */
  async produce(topic: string, records: readonly { key: unknown; value: unknown }[]): Promise<void> {
    const producer = new Producer<Buffer, Buffer>({
      'bootstrap.servers': this.broker.bootstrap,
      keySerializer: 'buffer',
      valueSerializer: 'buffer',
    });
    try {
      await producer.sendBatch(
        records.map((r) => ({
          topic,
          key: r.key === null ? null : Buffer.from(JSON.stringify(r.key)),
          value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)),
        })),
      );
    } finally {
      await producer.close();
    }
  }

  /** The JSON values of `topic` from its start, once there are at least `count`; then a little more time for extras. */
  async values(
    topic: string,
    count: number,
    settleMs = 300,
  ): Promise<{ schema: JsonSchema; payload: Record<string, unknown> }[]> {
    const consumer = new Consumer<Buffer, Buffer>({
      'bootstrap.servers': this.broker.bootstrap,
      keyDeserializer: 'buffer',
      valueDeserializer: 'buffer',
    });
    try {
      consumer.assign([{ topic, partition: 0 }]);
      consumer.seekToBeginning();
      const out: { schema: JsonSchema; payload: Record<string, unknown> }[] = [];
      const take = async (timeoutMs: number) => {
        for (const r of await consumer.poll({ timeoutMs })) out.push(JSON.parse(r.value!.toString('utf8')));
      };
      await waitFor(`${count} records in ${topic}`, async () => {
        await take(200);
        return out.length >= count;
      });
      const until = Date.now() + settleMs;
      while (Date.now() < until) await take(100);
      return out;
    } finally {
      await consumer.close();
    }
  }
}

export interface JsonSchema {
  readonly type: string;
  readonly name?: string;
  readonly fields?: readonly { field: string; type: string; optional: boolean; name?: string }[];
}

/** A JsonConverter envelope for a struct of the given fields and values. */
export function envelope(
  fields: readonly { field: string; type: string; optional?: boolean; name?: string }[],
  payload: Record<string, unknown>,
): { schema: object; payload: Record<string, unknown> } {
  return {
    schema: { type: 'struct', fields: fields.map((f) => ({ optional: false, ...f })), optional: false },
    payload,
  };
}
