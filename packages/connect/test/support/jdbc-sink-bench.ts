import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { SinkRecord } from '../../src/connector/connect-record.js';
import { BigDecimal } from '../../src/data/big-decimal.js';
import { LogicalTypes, SchemaBuilder, Struct } from '../../src/data/schema.js';
import { JdbcSinkTask } from '../../src/jdbc/jdbc-sink-task.js';
import { PostgresCluster } from './postgres-cluster.js';

// Rows per second through JdbcSinkTask.put into a throwaway PostgreSQL and a SQLite file, per
// `batch.size` and insert mode, in puts of 500 records (a consumer poll's worth). Not a test:
//   node dist/test/support/jdbc-sink-bench.js [rows=50000] [batch sizes=1,3000]

const ROWS = Number(process.argv[2] ?? 50_000);
const BATCH_SIZES = (process.argv[3] ?? '1,3000').split(',').map(Number);
const PUT_SIZE = 500;

const schema = SchemaBuilder.struct()
  .name('bench')
  .field('id', SchemaBuilder.int64().build())
  .field('name', SchemaBuilder.string().build())
  .field('amount', LogicalTypes.decimal(2).optional().build())
  .field('at', LogicalTypes.timestamp().build())
  .build();

function records(): SinkRecord[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const value = new Struct(schema)
      .put('id', i)
      .put('name', `name-${i}`)
      .put('amount', new BigDecimal(BigInt(i) * 101n, 2))
      .put('at', new Date(1_700_000_000_000 + i));
    return {
      topic: 'bench',
      kafkaPartition: 0,
      kafkaOffset: BigInt(i),
      keySchema: null,
      key: null,
      valueSchema: schema,
      value,
      timestamp: 0,
      timestampType: 'CreateTime' as const,
      headers: [],
    };
  });
}

async function run(url: string, table: string, mode: string, batchSize: number, all: SinkRecord[]): Promise<number> {
  const task = new JdbcSinkTask();
  task.start({
    name: 'bench',
    'connection.url': url,
    'table.name.format': table,
    'auto.create': 'true',
    'insert.mode': mode,
    'pk.mode': 'record_value',
    'pk.fields': 'id',
    'batch.size': String(batchSize),
  });
  await task.put(all.slice(0, 1)); // creates the table outside the timing
  const start = process.hrtime.bigint();
  for (let i = 1; i < all.length; i += PUT_SIZE) await task.put(all.slice(i, i + PUT_SIZE));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await task.stop();
  return seconds;
}

const cluster = await PostgresCluster.start();
const dir = mkdtempSync(join(tmpdir(), 'samsa-jdbc-bench-'));
try {
  const all = records();
  for (const mode of ['insert', 'upsert']) {
    for (const batchSize of BATCH_SIZES) {
      const table = `bench_${mode}_${batchSize}`;
      const pgSeconds = await run(cluster.jdbcUrl(), table, mode, batchSize, all);
      const liteSeconds = await run(`jdbc:sqlite:${join(dir, 'bench.db')}`, table, mode, batchSize, all);
      const client = new pg.Client(cluster.clientConfig());
      await client.connect();
      const count = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
      await client.end();
      const rate = (s: number) => Math.round((ROWS - 1) / s);
      console.log(
        `${mode} batch.size=${batchSize}: PostgreSQL ${pgSeconds.toFixed(2)} s (${rate(pgSeconds)} rows/s, ${count} rows), SQLite ${liteSeconds.toFixed(2)} s (${rate(liteSeconds)} rows/s)`,
      );
    }
  }
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
