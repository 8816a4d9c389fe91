import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { JdbcFixture } from '../support/jdbc-fixtures.js';
import { waitFor } from '../support/worker-process.js';

// A PostgreSQL connection lost mid-stream (pg_terminate_backend from another session, as a
// failover or an idle-connection reaper would): the source reconnects and goes on from its
// position, the sink rolls back and retries its put on a new connection. In incrementing mode,
// every row reaches the topic and the sink table exactly once.

const fixture = new JdbcFixture();

before(async () => {
  await fixture.start();
});

after(async () => {
  await fixture.stop();
});

test('postgres: source and sink connections terminated mid-stream, no row lost or duplicated', async () => {
  const [, db] = await fixture.databases('reconnect');
  await db.exec('CREATE TABLE src (id SERIAL PRIMARY KEY, name TEXT NOT NULL)');
  const add = (count: number) =>
    db.exec(`INSERT INTO src (name) SELECT 'row ' || g FROM generate_series(1, ${Number(count)}) AS g`);
  await add(200);
  const herder = fixture.worker.herder;
  await herder.putConnectorConfig(
    'rc-source',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': db.url,
      mode: 'incrementing',
      'table.whitelist': 'src',
      'topic.prefix': 'rc-',
      'poll.interval.ms': '20',
      'batch.max.rows': '15',
      'connection.backoff.ms': '100',
    },
    false,
  );
  await herder.putConnectorConfig(
    'rc-sink',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': db.url,
      topics: 'rc-src',
      'table.name.format': 'dst',
      'auto.create': 'true',
      // No key: a row written twice would be two rows.
      'insert.mode': 'insert',
      'pk.mode': 'none',
      'batch.size': '7',
      'retry.backoff.ms': '100',
      'connection.backoff.ms': '100',
    },
    false,
  );
  const count = async (table: string) => {
    try {
      return (await db.rows(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n as number;
    } catch {
      return 0; // not created yet
    }
  };
  let terminated = 0;
  for (let round = 1; round <= 6; round++) {
    await add(100);
    const before = await count('dst');
    await waitFor(`the sink to move past ${before} rows`, async () => (await count('dst')) > before);
    // Every other session on the database: the source task's, the sink task's, the connector's.
    const killed = await db.rows(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    terminated += killed.filter((r) => r.ok === true).length;
  }
  const total = 200 + 6 * 100;
  await waitFor(`${total} rows in dst`, async () => (await count('dst')) >= total).catch(async (error) => {
    const states = ['rc-source', 'rc-sink'].map((name) => JSON.stringify(herder.status(name)));
    const sent = (await fixture.values('rc-src', 0, 500)).map((r) => r.payload.id as number);
    const written = new Set((await db.rows('SELECT id FROM dst')).map((r) => r.id as number));
    const missing = sent.filter((id) => !written.has(id));
    throw new Error(
      `${(error as Error).message}: ${written.size} rows, ${sent.length} in rc-src (${new Set(sent).size} distinct), missing ${missing.join(',')}; ${states.join('; ')}`,
    );
  });
  await new Promise((r) => setTimeout(r, 500)); // time for a duplicate to show up
  assert.ok(terminated >= 6, `terminated ${terminated} sessions`);
  const ids = (await db.rows('SELECT id FROM dst ORDER BY id')).map((r) => r.id);
  assert.deepEqual(
    ids,
    Array.from({ length: total }, (_, i) => i + 1),
  );
  const records = await fixture.values('rc-src', total, 300);
  assert.deepEqual(
    records.map((r) => r.payload.id),
    Array.from({ length: total }, (_, i) => i + 1),
  );
  for (const name of ['rc-source', 'rc-sink']) {
    const status = herder.status(name);
    assert.equal(status.connector.state, 'RUNNING', name);
    assert.deepEqual(
      status.tasks.map((t) => t.state),
      ['RUNNING'],
      `${name}: ${status.tasks.map((t) => t.trace).join('\n')}`,
    );
  }
  await herder.deleteConnector('rc-source');
  await herder.deleteConnector('rc-sink');
});

test('postgres: a sink whose every write loses its connection is retried max.retries times, then fails', async () => {
  const [, db] = await fixture.databases('reconnect_fail');
  await db.exec('CREATE TABLE doomed (id BIGINT, name TEXT)');
  // Every INSERT statement ends its own session; the sequence counts the tries (nextval is not rolled back).
  await db.exec('CREATE SEQUENCE tries');
  await db.exec(`CREATE FUNCTION doom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM nextval('tries'); PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$`);
  await db.exec('CREATE TRIGGER doom BEFORE INSERT ON doomed FOR EACH STATEMENT EXECUTE FUNCTION doom()');
  await fixture.produce('rc-doomed', [
    {
      key: null,
      value: {
        schema: {
          type: 'struct',
          fields: [
            { field: 'id', type: 'int64', optional: false },
            { field: 'name', type: 'string', optional: true },
          ],
          optional: false,
        },
        payload: { id: 1, name: 'never' },
      },
    },
  ]);
  const herder = fixture.worker.herder;
  await herder.putConnectorConfig(
    'rc-doomed-sink',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': db.url,
      topics: 'rc-doomed',
      'table.name.format': 'doomed',
      'max.retries': '2',
      'retry.backoff.ms': '50',
      'connection.backoff.ms': '50',
    },
    false,
  );
  await waitFor('the sink task to fail', () => herder.status('rc-doomed-sink').tasks[0]?.state === 'FAILED');
  assert.match(
    herder.status('rc-doomed-sink').tasks[0]?.trace ?? '',
    /terminating connection due to administrator command/,
  );
  const [{ tries }] = (await db.rows('SELECT last_value::int AS tries FROM tries')) as [{ tries: number }];
  assert.equal(tries, 3); // the first try and max.retries=2 retries
  assert.deepEqual(await db.rows('SELECT * FROM doomed'), []);
  await herder.deleteConnector('rc-doomed-sink');
});
