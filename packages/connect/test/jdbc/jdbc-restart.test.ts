import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { JdbcFixture } from '../support/jdbc-fixtures.js';
import { waitFor } from '../support/worker-process.js';

// The database restarted mid-run (pg_ctl stop -m fast, then start on the same port and data
// dir) under a JDBC source (incrementing) → topic → JDBC sink (upsert by id) pipeline, with rows
// inserted before, while the pipeline is still moving them when the server goes down, and after
// it is back. While it is down both tasks get "connection refused" and keep trying within
// connection.attempts × connection.backoff.ms; then every source row is in the sink table
// exactly once with its values, the topic holds every id once with no gap, both tasks RUNNING.

const fixture = new JdbcFixture();
const DATABASE = 'restart';

before(async () => {
  await fixture.start();
});

after(async () => {
  await fixture.stop();
});

/** One statement on a connection of its own: no client outlives the restart. */
async function sql(text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client(fixture.postgres.clientConfig(DATABASE));
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

async function refused(): Promise<boolean> {
  try {
    await sql('SELECT 1');
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
}

test('postgres restarted mid-run: the tasks reconnect, every row reaches the sink once (upserts), no gap in the topic', async (t) => {
  const admin = new pg.Client(fixture.postgres.clientConfig());
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  await sql('CREATE TABLE src (id SERIAL PRIMARY KEY, name TEXT NOT NULL, amount INT NOT NULL)');
  let total = 0;
  const add = async (count: number) => {
    await sql(
      `INSERT INTO src (name, amount) SELECT 'row ' || g, g * 7 FROM generate_series(${total + 1}, ${total + count}) AS g`,
    );
    total += count;
  };
  await add(100);
  const url = `jdbc:postgresql://127.0.0.1:${fixture.postgres.port}/${DATABASE}?user=postgres`;
  // Up to 150 × 100 ms of refused connections are retried before a task gives up.
  const connection = { 'connection.attempts': '150', 'connection.backoff.ms': '100' };
  const herder = fixture.worker.herder;
  await herder.putConnectorConfig(
    'rs-source',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': url,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': 'src',
      'topic.prefix': 'rs-',
      'poll.interval.ms': '20',
      'batch.max.rows': '10',
      ...connection,
    },
    false,
  );
  await herder.putConnectorConfig(
    'rs-sink',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': url,
      topics: 'rs-src',
      'table.name.format': 'dst',
      'auto.create': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'batch.size': '7',
      'max.retries': '100',
      'retry.backoff.ms': '100',
      ...connection,
    },
    false,
  );
  const count = async () => {
    try {
      return (await sql('SELECT count(*)::int AS n FROM dst'))[0]!.n as number;
    } catch {
      return 0; // not created yet
    }
  };
  await waitFor('the sink to have written rows', async () => (await count()) > 0);
  // Rows the pipeline is still moving (10 per poll) when the server goes down.
  await add(400);
  const inDstAtStop = await count();
  await fixture.postgres.restart(async () => {
    assert.equal(await refused(), true, 'connections are refused while the server is down');
    // Long enough for both tasks to fail to connect a few times (not an assertion).
    await sleep(1500);
  });
  await add(100);
  await waitFor(`${total} rows in dst`, async () => (await count()) >= total).catch((error: Error) => {
    const states = ['rs-source', 'rs-sink'].map((name) => JSON.stringify(herder.status(name)));
    throw new Error(`${error.message}; ${states.join('; ')}`);
  });
  const rows = await sql('SELECT id, name, amount FROM dst ORDER BY id');
  assert.deepEqual(
    rows,
    Array.from({ length: total }, (_, i) => ({ id: i + 1, name: `row ${i + 1}`, amount: (i + 1) * 7 })),
  );
  const records = await fixture.values('rs-src', total, 300);
  assert.deepEqual(
    records.map((r) => r.payload.id),
    Array.from({ length: total }, (_, i) => i + 1),
  );
  for (const name of ['rs-source', 'rs-sink']) {
    const status = herder.status(name);
    assert.deepEqual(
      [status.connector.state, ...status.tasks.map((t) => t.state)],
      ['RUNNING', 'RUNNING'],
      `${name}: ${status.tasks.map((t) => t.trace).join('\n')}`,
    );
  }
  // How far the sink was when the server went down (500 rows inserted by then), for the log.
  t.diagnostic(`rows in dst when the server stopped: ${inDstAtStop} of ${total - 100}`);
  await herder.deleteConnector('rs-source');
  await herder.deleteConnector('rs-sink');
});
