import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseProperties } from '@samsa/client';
import { JdbcFixture, sqliteDb, type TestDb } from './support/jdbc-fixtures.js';
import { REPO_ROOT, WorkerProcess, waitFor } from './support/worker-process.js';

// Table → topic → table, checking every row arrives once: the shipped SQLite quickstart files
// through bin/connect-standalone.sh (stopped with SIGTERM and restarted in between), and a
// PostgreSQL table with every supported column type into SQLite through the in-process worker.

const fixture = new JdbcFixture();

before(async () => {
  await fixture.start();
});

after(async () => {
  await fixture.stop();
});

async function sinkIds(db: TestDb, table: string, count: number): Promise<unknown[]> {
  let ids: unknown[] = [];
  await waitFor(`${count} rows in ${table}`, async () => {
    try {
      ids = (await db.rows(`SELECT id FROM "${table}" ORDER BY id`)).map((r) => r.id);
    } catch {
      return false; // not created yet
    }
    return ids.length >= count;
  });
  return ids;
}

test('config/connect-jdbc-{source,sink}-sqlite.properties: test.db → test-sqlite-jdbc-accounts → test.sink.db, every row once across a worker restart', async () => {
  const cwd = fixture.dir;
  writeFileSync(
    join(cwd, 'standalone.properties'),
    [
      `bootstrap.servers=${fixture.broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      `offset.storage.file.filename=${join(cwd, 'quickstart.offsets')}`,
      'offset.flush.interval.ms=500',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  for (const file of ['connect-jdbc-source-sqlite.properties', 'connect-jdbc-sink-sqlite.properties']) {
    copyFileSync(join(REPO_ROOT, 'config', file), join(cwd, file));
  }
  const source = sqliteDb(join(cwd, 'test.db'));
  const sink = sqliteDb(join(cwd, 'test.sink.db'));
  try {
    await source.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name VARCHAR(255))');
    const add = async (from: number, to: number) => {
      for (let i = from; i <= to; i++) await source.exec('INSERT INTO accounts (name) VALUES (?)', [`user-${i}`]);
    };
    await add(1, 50);
    const args = [
      'standalone.properties',
      'connect-jdbc-source-sqlite.properties',
      'connect-jdbc-sink-sqlite.properties',
    ];
    let worker = await WorkerProcess.start(cwd, args);
    const table = 'test-sqlite-jdbc-accounts';
    try {
      assert.deepEqual(await sinkIds(sink, table, 50), range(1, 50));
      await add(51, 70);
      assert.deepEqual(await sinkIds(sink, table, 70), range(1, 70));
    } finally {
      assert.equal(await worker.stop(), 0, worker.output);
    }
    await add(71, 80);
    worker = await WorkerProcess.start(cwd, args);
    try {
      assert.deepEqual(await sinkIds(sink, table, 80), range(1, 80));
      const rows = await sink.rows(`SELECT id, name FROM "${table}" ORDER BY id`);
      assert.deepEqual(
        rows.map((r) => r.name),
        range(1, 80).map((i) => `user-${i}`),
      );
    } finally {
      assert.equal(await worker.stop(), 0, worker.output);
    }
    // Upserts would hide a duplicate in the sink table: the topic itself has each row once.
    const records = await fixture.values(table, 80, 500);
    assert.deepEqual(
      records.map((r) => r.payload.id),
      range(1, 80),
    );
  } finally {
    await source.close();
    await sink.close();
  }
});

test('postgres table with every supported type → topic → SQLite table (auto.create), values intact', async () => {
  const [lite, pg] = await fixture.databases('roundtrip');
  await pg.exec(`CREATE TABLE items (
    id BIGSERIAL PRIMARY KEY,
    small SMALLINT NOT NULL,
    big BIGINT,
    ratio REAL,
    price NUMERIC(8,2),
    whole NUMERIC(12,0),
    exact NUMERIC,
    label TEXT NOT NULL,
    code CHAR(3),
    tag UUID,
    doc JSONB,
    flag BOOLEAN,
    raw BYTEA,
    seen TIMESTAMPTZ,
    day DATE,
    at TIME
  )`);
  for (let i = 1; i <= 30; i++) {
    await pg.exec(
      `INSERT INTO items (small, big, ratio, price, whole, exact, label, code, tag, doc, flag, raw, seen, day, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        i,
        (2n ** 40n + BigInt(i)).toString(),
        i / 4,
        `${i}.25`,
        `${i}00000000`,
        `3.14159265358979323846${i}`,
        `label ${i}`,
        'abc',
        `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
        JSON.stringify({ i }),
        i % 2 === 0,
        Buffer.from([0, i, 255]),
        `2024-02-0${1 + (i % 9)} 10:11:12.345+00`,
        '2024-03-04',
        '05:06:07.5',
      ],
    );
  }
  await fixture.worker.herder.putConnectorConfig(
    'pg-items',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': pg.url,
      mode: 'incrementing',
      'table.whitelist': 'public.items',
      'topic.prefix': 'rt-',
      'numeric.mapping': 'best_fit',
      'poll.interval.ms': '100',
      'batch.max.rows': '7',
    },
    false,
  );
  await fixture.worker.herder.putConnectorConfig(
    'lite-items',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': lite.url,
      topics: 'rt-items',
      'table.name.format': 'items_copy',
      'auto.create': 'true',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'insert.mode': 'insert',
    },
    false,
  );
  assert.deepEqual(await sinkIds(lite, 'items_copy', 30), range(1, 30));
  const [row] = await lite.rows('SELECT * FROM items_copy WHERE id = 6');
  assert.deepEqual(row, {
    id: 6,
    small: 6,
    big: 2 ** 40 + 6,
    ratio: 1.5,
    price: 6.25,
    whole: 600000000,
    // An unconstrained NUMERIC is a Decimal of scale 127 (see numeric-mapping.ts); SQLite's
    // NUMERIC affinity turns the decimal text into a REAL, as with Confluent's SQLite driver.
    exact: Math.PI,
    label: 'label 6',
    code: 'abc',
    tag: '00000000-0000-0000-0000-000000000006',
    doc: '{"i": 6}',
    flag: 1,
    raw: Buffer.from([0, 6, 255]),
    seen: Date.UTC(2024, 1, 7, 10, 11, 12, 345),
    day: Date.UTC(2024, 2, 4),
    at: ((5 * 60 + 6) * 60 + 7) * 1000 + 500,
  });
  const records = await fixture.values('rt-items', 30, 300);
  assert.equal(records.length, 30);
  const fields = Object.fromEntries(records[0]!.schema.fields!.map((f) => [f.field, f.name ?? f.type]));
  assert.deepEqual(fields, {
    id: 'int64',
    small: 'int16',
    big: 'int64',
    ratio: 'float',
    price: 'double',
    whole: 'int64',
    exact: 'org.apache.kafka.connect.data.Decimal',
    label: 'string',
    code: 'string',
    tag: 'string',
    doc: 'string',
    flag: 'boolean',
    raw: 'bytes',
    seen: 'org.apache.kafka.connect.data.Timestamp',
    day: 'org.apache.kafka.connect.data.Date',
    at: 'org.apache.kafka.connect.data.Time',
  });
});

test('NUMERIC(13,2) and NUMERIC(12,2) → Decimal (base64 in JSON, as Kafka) → PostgreSQL and SQLite sink tables with the exact values', async () => {
  const [lite, pg] = await fixture.databases('decimals');
  // 12345678901.23 has 11 digits before the point: NUMERIC(12,2) holds at most 10 of them.
  await pg.exec('CREATE TABLE amounts (id SERIAL PRIMARY KEY, amount NUMERIC(13,2), total NUMERIC(12,2) NOT NULL)');
  const values = ['12345678901.23', '-0.05', '0.00', '9999999999.99', null];
  for (const [i, v] of values.entries()) {
    await pg.exec('INSERT INTO amounts (amount, total) VALUES ($1, $2)', [v, `${i}.10`]);
  }
  await fixture.worker.herder.putConnectorConfig(
    'pg-amounts',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': pg.url,
      mode: 'incrementing',
      'table.whitelist': 'amounts',
      'topic.prefix': 'dec-',
      'poll.interval.ms': '100',
    },
    false,
  );
  const records = await fixture.values('dec-amounts', values.length, 300);
  assert.equal(records.length, values.length);
  const amountSchema = records[0]!.schema.fields!.find((f) => f.field === 'amount');
  assert.deepEqual(amountSchema, {
    type: 'bytes',
    optional: true,
    name: 'org.apache.kafka.connect.data.Decimal',
    version: 1,
    parameters: { scale: '2', 'connect.decimal.precision': '13' },
    field: 'amount',
  });
  // The unscaled value in big-endian two's complement, base64: 1234567890123 → AR9x+wTL, -5 → +w==.
  assert.deepEqual(
    records.map((r) => [r.payload.amount, r.payload.total]),
    [
      ['AR9x+wTL', 'Cg=='],
      ['+w==', 'bg=='],
      ['AA==', 'ANI='],
      ['AOjUpQ//', 'ATY='],
      [null, 'AZo='],
    ],
  );
  const sink = (name: string, url: string) =>
    fixture.worker.herder.putConnectorConfig(
      name,
      {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        'connection.url': url,
        topics: 'dec-amounts',
        'table.name.format': 'amounts_copy',
        'auto.create': 'true',
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'insert.mode': 'upsert',
      },
      false,
    );
  await sink('pg-amounts-sink', pg.url);
  await sink('lite-amounts-sink', lite.url);
  assert.deepEqual(await sinkIds(pg, 'amounts_copy', 5), [1, 2, 3, 4, 5]);
  assert.deepEqual(await sinkIds(lite, 'amounts_copy', 5), [1, 2, 3, 4, 5]);
  // PostgreSQL: DECIMAL columns holding the exact digits.
  const pgColumns = await pg.rows(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'amounts_copy' ORDER BY ordinal_position",
  );
  assert.deepEqual(
    pgColumns.map((c) => [c.column_name, c.data_type]),
    [
      ['id', 'integer'],
      ['amount', 'numeric'],
      ['total', 'numeric'],
    ],
  );
  const pgRows = await pg.rows('SELECT amount::text AS amount, total::text AS total FROM amounts_copy ORDER BY id');
  assert.deepEqual(
    pgRows.map((r) => [r.amount, r.total]),
    [
      ['12345678901.23', '0.10'],
      ['-0.05', '1.10'],
      ['0.00', '2.10'],
      ['9999999999.99', '3.10'],
      [null, '4.10'],
    ],
  );
  // SQLite: NUMERIC columns; affinity keeps each value as the REAL that prints as the same digits.
  const liteColumns = await lite.rows("SELECT name, type FROM pragma_table_info('amounts_copy')");
  assert.deepEqual(
    liteColumns.map((c) => [c.name, c.type]),
    [
      ['id', 'INTEGER'],
      ['amount', 'NUMERIC'],
      ['total', 'NUMERIC'],
    ],
  );
  const liteRows = await lite.rows('SELECT amount, total FROM amounts_copy ORDER BY id');
  assert.deepEqual(
    liteRows.map((r) => [r.amount, r.total]),
    [
      [12345678901.23, 0.1],
      [-0.05, 1.1],
      [0, 2.1],
      [9999999999.99, 3.1],
      [null, 4.1],
    ],
  );
  for (const name of ['pg-amounts', 'pg-amounts-sink', 'lite-amounts-sink'])
    await fixture.worker.herder.deleteConnector(name);
});

test('SQLite DECIMAL(10,2) → Decimal of scale 2, from the REAL or INTEGER SQLite stored', async () => {
  const [lite] = await fixture.databases('lite-decimals');
  await lite.exec('CREATE TABLE prices (id INTEGER PRIMARY KEY, price DECIMAL(10,2))');
  for (const price of ['19.99', '-0.05', '7', null]) await lite.exec('INSERT INTO prices (price) VALUES (?)', [price]);
  await fixture.worker.herder.putConnectorConfig(
    'lite-prices',
    {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': lite.url,
      mode: 'incrementing',
      'topic.prefix': 'litedec-',
      'poll.interval.ms': '100',
    },
    false,
  );
  const records = await fixture.values('litedec-prices', 4, 300);
  const price = records[0]!.schema.fields!.find((f) => f.field === 'price') as unknown as {
    parameters: Record<string, string>;
  };
  assert.deepEqual(price.parameters, { scale: '2', 'connect.decimal.precision': '10' });
  // 1999, -5, 700 as two's complement.
  assert.deepEqual(
    records.map((r) => r.payload.price),
    ['B88=', '+w==', 'Arw=', null],
  );
  await fixture.worker.herder.deleteConnector('lite-prices');
});

test('config/connect-jdbc-{source,sink}-postgresql.properties, pointed at the test cluster: every row of every table once, into the sink table', async () => {
  const [, shop] = await fixture.databases('shop');
  const file = (name: string): Record<string, string> => {
    const props: Record<string, string> = Object.fromEntries(
      parseProperties(readFileSync(join(REPO_ROOT, 'config', name), 'utf8')),
    );
    return { ...props, 'connection.url': shop.url };
  };
  await shop.exec(
    'CREATE TABLE orders (id SERIAL PRIMARY KEY, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), total NUMERIC(10,2))',
  );
  await shop.exec(
    'CREATE TABLE customers (id SERIAL PRIMARY KEY, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), name TEXT)',
  );
  await shop.exec(
    `INSERT INTO orders (total, updated_at) VALUES (9.99, now() - interval '1 minute'), (20, now() - interval '1 minute')`,
  );
  await shop.exec(`INSERT INTO customers (name, updated_at) VALUES ('ann', now() - interval '1 minute')`);
  const source = file('connect-jdbc-source-postgresql.properties');
  const sink = file('connect-jdbc-sink-postgresql.properties');
  const herder = fixture.worker.herder;
  for (const config of [source, sink]) assert.equal(herder.validate(config).error_count, 0);
  await herder.putConnectorConfig(source.name!, { ...source, 'poll.interval.ms': '100' }, false);
  assert.deepEqual(
    herder.taskConfigs(source.name!).map((t) => JSON.parse(t.config.tables!)),
    [['public.customers'], ['public.orders']],
  );
  const orders = await fixture.values('postgres-orders', 2, 300);
  assert.deepEqual(
    orders.map((r) => [r.payload.id, r.payload.total]),
    [
      [1, 9.99],
      [2, 20],
    ],
  );
  assert.deepEqual(
    (await fixture.values('postgres-customers', 1, 0)).map((r) => r.payload.name),
    ['ann'],
  );
  // The sink file reads the SQLite quickstart's topic into shop.accounts.
  await fixture.produce('test-sqlite-jdbc-accounts', [
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
          name: 'accounts',
        },
        payload: { id: 500, name: 'from kafka' },
      },
    },
  ]);
  await herder.putConnectorConfig(sink.name!, sink, false);
  await waitFor('the row in shop.accounts', async () => {
    try {
      return (await shop.rows('SELECT name FROM accounts WHERE id = 500'))[0]?.name === 'from kafka';
    } catch {
      return false;
    }
  });
  await herder.deleteConnector(source.name!);
  await herder.deleteConnector(sink.name!);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
