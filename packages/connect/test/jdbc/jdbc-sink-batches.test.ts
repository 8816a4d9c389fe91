import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Schema, SchemaBuilder, Struct } from '../../src/data/schema.js';
import { JdbcSinkTask } from '../../src/jdbc/jdbc-sink-task.js';
import { PostgresCluster } from '../support/postgres-cluster.js';
import { sinkRecord } from './sink-records.js';

// batch.size: the records of a put() go to the database in statements of up to batch.size rows
// (multi-row INSERT/upsert on PostgreSQL, one reused prepared statement on SQLite), in record
// order. PostgreSQL's statement-level triggers count the INSERT statements the sink ran.

let cluster: PostgresCluster;
let client: pg.Client;
let dir: string;

before(async () => {
  cluster = await PostgresCluster.start();
  client = new pg.Client(cluster.clientConfig());
  await client.connect();
  dir = mkdtempSync(join(tmpdir(), 'samsa-jdbc-batches-'));
});

after(async () => {
  await client?.end();
  await cluster?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const ROW = SchemaBuilder.struct()
  .name('row')
  .field('id', Schema.INT64_SCHEMA)
  .field('name', Schema.OPTIONAL_STRING_SCHEMA)
  .build();

const row = (topic: string, offset: number, id: number, name: string) =>
  sinkRecord(topic, offset, Schema.INT64_SCHEMA, id, ROW, new Struct(ROW).put('id', id).put('name', name));

/** A table whose INSERT statements (not rows) are counted in `inserts`. */
async function countedTable(table: string, columns: string): Promise<() => Promise<number>> {
  await client.query(`CREATE TABLE ${table} (${columns})`);
  await client.query(`CREATE TABLE ${table}_inserts (n int)`);
  await client.query(
    `CREATE FUNCTION ${table}_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${table}_inserts VALUES (1); RETURN NULL; END $$`,
  );
  await client.query(
    `CREATE TRIGGER ${table}_count AFTER INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_count()`,
  );
  return async () => (await client.query(`SELECT count(*)::int AS n FROM ${table}_inserts`)).rows[0].n;
}

function startTask(url: string, props: Record<string, string>): JdbcSinkTask {
  const task = new JdbcSinkTask();
  task.start({ name: 'batches', 'connection.url': url, ...props });
  return task;
}

test('postgres insert: 7 records with batch.size=3 are 3 INSERT statements, every row written', async () => {
  const inserts = await countedTable('ins', 'id BIGINT PRIMARY KEY, name TEXT');
  const task = startTask(cluster.jdbcUrl(), { 'table.name.format': 'ins', 'batch.size': '3' });
  try {
    await task.put(Array.from({ length: 7 }, (_, i) => row('t', i, i + 1, `n${i + 1}`)));
  } finally {
    await task.stop();
  }
  const { rows } = await client.query('SELECT id::int, name FROM ins ORDER BY id');
  assert.deepEqual(
    rows.map((r) => [r.id, r.name]),
    Array.from({ length: 7 }, (_, i) => [i + 1, `n${i + 1}`]),
  );
  assert.equal(await inserts(), 3);
});

test('postgres upsert: a key repeated within a batch starts a new statement, and the later record wins', async () => {
  const inserts = await countedTable('ups', 'id BIGINT PRIMARY KEY, name TEXT');
  const task = startTask(cluster.jdbcUrl(), {
    'table.name.format': 'ups',
    'batch.size': '10',
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'pk.fields': 'id',
  });
  try {
    await task.put([row('t', 0, 1, 'a'), row('t', 1, 2, 'b'), row('t', 2, 1, 'c'), row('t', 3, 3, 'd')]);
  } finally {
    await task.stop();
  }
  const { rows } = await client.query('SELECT id::int, name FROM ups ORDER BY id');
  assert.deepEqual(
    rows.map((r) => [r.id, r.name]),
    [
      [1, 'c'],
      [2, 'b'],
      [3, 'd'],
    ],
  );
  assert.equal(await inserts(), 2);
});

test('postgres: a batch whose parameters would pass 65535 is split (2700 rows × 25 columns)', async () => {
  const builder = SchemaBuilder.struct().name('wide');
  for (let c = 0; c < 25; c++) builder.field(`c${c}`, Schema.INT32_SCHEMA);
  const wide = builder.build();
  const columns = Array.from({ length: 25 }, (_, c) => `c${c} INT${c === 0 ? ' PRIMARY KEY' : ''}`).join(', ');
  const inserts = await countedTable('wide', columns);
  const task = startTask(cluster.jdbcUrl(), { 'table.name.format': 'wide', 'batch.size': '3000' });
  try {
    await task.put(
      Array.from({ length: 2700 }, (_, i) => {
        const value = new Struct(wide);
        for (let c = 0; c < 25; c++) value.put(`c${c}`, c === 0 ? i : c);
        return sinkRecord('t', i, null, null, wide, value);
      }),
    );
  } finally {
    await task.stop();
  }
  const { rows } = await client.query('SELECT count(*)::int AS n, sum(c24)::int AS s FROM wide');
  assert.deepEqual(rows[0], { n: 2700, s: 2700 * 24 });
  // 65535 / 25 = 2621 rows per statement.
  assert.equal(await inserts(), 2);
});

for (const which of ['postgres', 'sqlite'] as const) {
  test(`${which}: upserts and tombstones keep record order across batches (batch.size=2, delete.enabled)`, async () => {
    const url = which === 'postgres' ? cluster.jdbcUrl() : `jdbc:sqlite:${join(dir, 'order.db')}`;
    const task = startTask(url, {
      'table.name.format': 'ordered',
      'batch.size': '2',
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'pk.fields': 'id',
      'delete.enabled': 'true',
      'auto.create': 'true',
    });
    const tombstone = (offset: number, id: number) => sinkRecord('t', offset, Schema.INT64_SCHEMA, id, ROW, null);
    try {
      await task.put([
        row('t', 0, 1, 'a'),
        row('t', 1, 2, 'b'),
        row('t', 2, 3, 'c'),
        tombstone(3, 1),
        row('t', 4, 1, 'a2'),
        tombstone(5, 2),
        row('t', 6, 3, 'c2'),
        row('t', 7, 4, 'd'),
        row('t', 8, 5, 'e'),
      ]);
    } finally {
      await task.stop();
    }
    let rows: { id: number; name: string }[];
    if (which === 'postgres') {
      rows = (await client.query('SELECT id::int, name FROM ordered ORDER BY id')).rows;
    } else {
      const db = new Database(join(dir, 'order.db'));
      rows = db.prepare('SELECT id, name FROM ordered ORDER BY id').all() as typeof rows;
      db.close();
    }
    assert.deepEqual(
      rows.map((r) => [r.id, r.name]),
      [
        [1, 'a2'],
        [3, 'c2'],
        [4, 'd'],
        [5, 'e'],
      ],
    );
  });
}
