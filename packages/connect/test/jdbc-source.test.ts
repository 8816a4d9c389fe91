import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { JdbcFixture, type TestDb } from './support/jdbc-fixtures.js';
import { waitFor } from './support/worker-process.js';

// JdbcSourceConnector against a real SQLite file and a real PostgreSQL 15 cluster, through an
// in-process standalone worker on a real broker; records are read back from the topics.

const fixture = new JdbcFixture();
let sqlite: TestDb;
let postgres: TestDb;

before(async () => {
  await fixture.start();
  [sqlite, postgres] = await fixture.databases('source');
});

after(async () => {
  await fixture.stop();
});

function base(db: TestDb, extra: Record<string, string>): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
    'connection.url': db.url,
    'poll.interval.ms': '100',
    ...extra,
  };
}

async function insertOrders(db: TestDb, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await db.exec(`INSERT INTO orders (name, amount, paid) VALUES (${db.p(1)}, ${db.p(2)}, ${db.p(3)})`, [
      name,
      name.length * 1.5,
      db.kind === 'sqlite' ? 1 : true,
    ]);
  }
}

for (const which of ['sqlite', 'postgres'] as const) {
  const db = () => (which === 'sqlite' ? sqlite : postgres);

  test(`${which}: incrementing mode sends each row once in id order, with a struct schema from the table; a restarted worker resumes from the stored offset`, async () => {
    const d = db();
    await d.exec(
      `CREATE TABLE orders (id ${d.serial}, name VARCHAR(20) NOT NULL, amount DOUBLE PRECISION, paid BOOLEAN, note TEXT)`,
    );
    await insertOrders(d, ['a', 'bb', 'ccc']);
    const config = base(d, {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': 'orders',
      'topic.prefix': `${which}-inc-`,
      'batch.max.rows': '2',
    });
    await fixture.worker.herder.putConnectorConfig(`${which}-inc`, config, false);
    const topic = `${which}-inc-orders`;
    let values = await fixture.values(topic, 3);
    assert.deepEqual(
      values.map((v) => v.payload),
      [
        { id: 1, name: 'a', amount: 1.5, paid: true, note: null },
        { id: 2, name: 'bb', amount: 3, paid: true, note: null },
        { id: 3, name: 'ccc', amount: 4.5, paid: true, note: null },
      ],
    );
    const schema = values[0]!.schema;
    assert.equal(schema.type, 'struct');
    assert.equal(schema.name, 'orders');
    const fields = Object.fromEntries(schema.fields!.map((f) => [f.field, [f.type, f.optional]]));
    assert.deepEqual(fields.name, ['string', false]);
    assert.deepEqual(fields.amount, ['double', true]);
    assert.deepEqual(fields.paid, ['boolean', true]);
    assert.deepEqual(fields.id, [which === 'sqlite' ? 'int64' : 'int32', false]);

    await insertOrders(d, ['dddd', 'eeeee']);
    values = await fixture.values(topic, 5);
    assert.deepEqual(
      values.map((v) => v.payload.id),
      [1, 2, 3, 4, 5],
    );

    // The whole worker stops (offsets written on stop); rows added meanwhile arrive once after restart.
    await fixture.worker.stop();
    await insertOrders(d, ['f', 'g']);
    await fixture.startWorker();
    await fixture.worker.herder.putConnectorConfig(`${which}-inc`, config, false);
    values = await fixture.values(topic, 7, 1000);
    assert.deepEqual(
      values.map((v) => v.payload.id),
      [1, 2, 3, 4, 5, 6, 7],
    );
    await fixture.worker.herder.deleteConnector(`${which}-inc`);
  });

  test(`${which}: timestamp mode sends new and modified rows, not rows newer than timestamp.delay.interval.ms allows`, async () => {
    const d = db();
    await d.exec(`CREATE TABLE events (id INT NOT NULL, ts ${d.timestampType} NOT NULL, label TEXT)`);
    const t0 = Date.UTC(2024, 0, 1, 12, 0, 0, 250);
    for (let i = 0; i < 3; i++) {
      await d.exec(`INSERT INTO events VALUES (${d.p(1)}, ${d.p(2)}, ${d.p(3)})`, [
        i,
        d.timestamp(t0 + i * 1000),
        `e${i}`,
      ]);
    }
    // Far in the future: held back until now - delay passes it, which it never does in this test.
    await d.exec(`INSERT INTO events VALUES (${d.p(1)}, ${d.p(2)}, ${d.p(3)})`, [
      99,
      d.timestamp(Date.now() + 3_600_000),
      'future',
    ]);
    await fixture.worker.herder.putConnectorConfig(
      `${which}-ts`,
      base(d, {
        mode: 'timestamp',
        'timestamp.column.name': 'ts',
        'table.whitelist': 'events',
        'topic.prefix': `${which}-ts-`,
        'timestamp.delay.interval.ms': '1000',
      }),
      false,
    );
    const topic = `${which}-ts-events`;
    let values = await fixture.values(topic, 3);
    assert.deepEqual(
      values.map((v) => [v.payload.id, v.payload.ts, v.payload.label]),
      [
        [0, t0, 'e0'],
        [1, t0 + 1000, 'e1'],
        [2, t0 + 2000, 'e2'],
      ],
    );
    const ts = values[0]!.schema.fields!.find((f) => f.field === 'ts')!;
    assert.equal(ts.name, 'org.apache.kafka.connect.data.Timestamp');
    // A modified row (its timestamp moved forward) is sent again; the others are not.
    await d.exec(`UPDATE events SET ts = ${d.p(1)}, label = 'e1 again' WHERE id = 1`, [d.timestamp(t0 + 5000)]);
    values = await fixture.values(topic, 4, 1000);
    assert.deepEqual(
      values.map((v) => v.payload.label),
      ['e0', 'e1', 'e2', 'e1 again'],
    );
    await fixture.worker.herder.deleteConnector(`${which}-ts`);
  });

  test(`${which}: bulk mode sends the whole table on every poll (query.suffix appended to the query)`, async () => {
    const d = db();
    await d.exec('CREATE TABLE colours (name TEXT, code INT)');
    await d.exec(`INSERT INTO colours VALUES ('red', 1), ('green', 2)`);
    await fixture.worker.herder.putConnectorConfig(
      `${which}-bulk`,
      base(d, {
        mode: 'bulk',
        'table.whitelist': 'colours',
        'topic.prefix': `${which}-bulk-`,
        'poll.interval.ms': '300',
        'query.suffix': 'ORDER BY code DESC',
      }),
      false,
    );
    const values = await fixture.values(`${which}-bulk-colours`, 4, 0);
    assert.deepEqual(
      values.slice(0, 4).map((v) => v.payload.name),
      ['green', 'red', 'green', 'red'],
    );
    await fixture.worker.herder.deleteConnector(`${which}-bulk`);
  });
}

test('postgres: timestamp+incrementing keeps microseconds in the offset, and tasks.max spreads tables over tasks', async () => {
  const d = postgres;
  await d.exec('CREATE TABLE ti_a (id SERIAL PRIMARY KEY, updated TIMESTAMPTZ NOT NULL, v TEXT)');
  await d.exec('CREATE TABLE ti_b (id SERIAL PRIMARY KEY, updated TIMESTAMPTZ NOT NULL, v TEXT)');
  // Three rows in the same microsecond, one a microsecond later: none lost, none repeated.
  for (const [table, v, ts] of [
    ['ti_a', 'a1', '2024-05-01 10:00:00.123456+00'],
    ['ti_a', 'a2', '2024-05-01 10:00:00.123456+00'],
    ['ti_a', 'a3', '2024-05-01 10:00:00.123456+00'],
    ['ti_a', 'a4', '2024-05-01 10:00:00.123457+00'],
    ['ti_b', 'b1', '2024-05-01 10:00:00+00'],
  ] as const) {
    await d.exec(`INSERT INTO ${table} (updated, v) VALUES ($1, $2)`, [ts, v]);
  }
  await fixture.worker.herder.putConnectorConfig(
    'pg-ti',
    base(d, {
      mode: 'timestamp+incrementing',
      'timestamp.column.name': 'updated',
      'incrementing.column.name': 'id',
      'table.include.list': 'public\\.ti_.*',
      'topic.prefix': 'pg-ti-',
      'tasks.max': '2',
      'batch.max.rows': '2',
    }),
    false,
  );
  const tasks = fixture.worker.herder.taskConfigs('pg-ti');
  assert.deepEqual(
    tasks.map((t) => JSON.parse(t.config.tables!)),
    [['public.ti_a'], ['public.ti_b']],
  );
  const a = await fixture.values('pg-ti-ti_a', 4, 800);
  assert.deepEqual(
    a.map((v) => v.payload.v),
    ['a1', 'a2', 'a3', 'a4'],
  );
  assert.deepEqual(
    (await fixture.values('pg-ti-ti_b', 1)).map((v) => v.payload.v),
    ['b1'],
  );
  await fixture.worker.herder.deleteConnector('pg-ti');
});

test('sqlite: query mode with incrementing writes to topic.prefix itself, from partition {"query":"query"}', async () => {
  const d = sqlite;
  await d.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age INT)');
  await d.exec(`INSERT INTO people (name, age) VALUES ('ann', 30), ('bob', 17), ('cid', 45)`);
  await fixture.worker.herder.putConnectorConfig(
    'sqlite-query',
    base(d, {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      query: 'SELECT * FROM (SELECT id, upper(name) AS shout FROM people WHERE age >= 18)',
      'topic.prefix': 'adults',
    }),
    false,
  );
  const values = await fixture.values('adults', 2, 500);
  assert.deepEqual(
    values.map((v) => v.payload),
    [
      { id: 1, shout: 'ANN' },
      { id: 3, shout: 'CID' },
    ],
  );
  await fixture.worker.herder.deleteConnector('sqlite-query');
});

test('sqlite: a table created after the connector started is found within table.poll.interval.ms and copied', async () => {
  const d = sqlite;
  const herder = fixture.worker.herder;
  await herder.putConnectorConfig(
    'sqlite-late',
    base(d, {
      mode: 'incrementing',
      'table.include.list': 'late_.*',
      'topic.prefix': 'found-',
      'table.poll.interval.ms': '200',
    }),
    false,
  );
  assert.deepEqual(
    herder.taskConfigs('sqlite-late').map((t) => t.config.tables),
    ['[]'],
  );
  await d.exec('CREATE TABLE late_one (id INTEGER PRIMARY KEY, v TEXT)');
  await d.exec(`INSERT INTO late_one (v) VALUES ('x'), ('y')`);
  const values = await fixture.values('found-late_one', 2, 300);
  assert.deepEqual(
    values.map((v) => v.payload),
    [
      { id: 1, v: 'x' },
      { id: 2, v: 'y' },
    ],
  );
  assert.deepEqual(
    herder.taskConfigs('sqlite-late').map((t) => t.config.tables),
    ['["late_one"]'],
  );
  await herder.deleteConnector('sqlite-late');
});

test('bad configs are refused with the key in the message, and the worker keeps running', async () => {
  const herder = fixture.worker.herder;
  await assert.rejects(
    herder.putConnectorConfig('bad-mode', base(sqlite, { mode: 'sometimes', 'topic.prefix': 'x' }), false),
    /Invalid value sometimes for configuration mode: String must be one of: , bulk, timestamp, incrementing, timestamp\+incrementing/,
  );
  await assert.rejects(
    herder.putConnectorConfig('no-mode', base(sqlite, { 'topic.prefix': 'x' }), false),
    /Query mode must be specified/,
  );
  await assert.rejects(
    herder.putConnectorConfig('bad-prefix', base(sqlite, { mode: 'bulk', 'topic.prefix': 'a b' }), false),
    /Invalid value a b for configuration topic.prefix: Topic prefix must not contain any character other than ASCII alphanumerics, '.', '_' and '-'./,
  );
  await assert.rejects(
    herder.putConnectorConfig(
      'query-and-table',
      base(sqlite, { mode: 'bulk', query: 'SELECT 1', 'table.whitelist': 'a' }),
      false,
    ),
    /query may not be combined with whole-table copying settings./,
  );
  await assert.rejects(
    herder.putConnectorConfig(
      'bad-url',
      { ...base(sqlite, { mode: 'bulk', 'topic.prefix': 'x' }), 'connection.url': 'jdbc:oracle:thin:@h:1521:x' },
      false,
    ),
    /Invalid value jdbc:oracle:thin:@h:1521:x for configuration connection.url/,
  );
  await assert.rejects(
    herder.putConnectorConfig(
      'both-lists',
      base(sqlite, { mode: 'bulk', 'topic.prefix': 'x', 'table.whitelist': 'a', 'table.blacklist': 'b' }),
      false,
    ),
    /table.whitelist and table.blacklist are exclusive./,
  );
  await assert.rejects(
    herder.putConnectorConfig('no-ts', base(sqlite, { mode: 'timestamp', 'topic.prefix': 'x' }), false),
    /timestamp.column.name/,
  );
  // A database that is not there fails the connector, with the driver's reason in its trace.
  await herder.putConnectorConfig(
    'no-db',
    {
      ...base(sqlite, { mode: 'bulk', 'topic.prefix': 'x' }),
      'connection.url': `jdbc:postgresql://127.0.0.1:${fixture.postgres.port}/nope?user=postgres`,
      'connection.attempts': '1',
    },
    false,
  );
  await waitFor('no-db to fail', () => herder.status('no-db').connector.state === 'FAILED');
  assert.match(herder.status('no-db').connector.trace ?? '', /database "nope" does not exist/);
  await herder.deleteConnector('no-db');
});

test('postgres: the connection is retried connection.attempts times, connection.backoff.ms apart', async () => {
  const herder = fixture.worker.herder;
  // The database does not exist yet: the connector's start waits on its retries meanwhile.
  const created = herder.putConnectorConfig(
    'pg-late-db',
    {
      ...base(postgres, { mode: 'bulk', 'topic.prefix': 'late-db-', 'poll.interval.ms': '60000' }),
      'connection.url': `jdbc:postgresql://127.0.0.1:${fixture.postgres.port}/latedb?user=postgres`,
      'connection.attempts': '100',
      'connection.backoff.ms': '100',
    },
    false,
  );
  await new Promise((r) => setTimeout(r, 300));
  await postgres.exec('CREATE DATABASE latedb');
  await created;
  assert.equal(herder.status('pg-late-db').connector.state, 'RUNNING');
  await herder.deleteConnector('pg-late-db');
});
