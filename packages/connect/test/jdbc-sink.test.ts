import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { envelope, JdbcFixture, type TestDb } from './support/jdbc-fixtures.js';
import { waitFor } from './support/worker-process.js';

// JdbcSinkConnector against a real SQLite file and a real PostgreSQL 15 cluster: records with
// JsonConverter schemas are produced to a real broker and read back from the tables.

const fixture = new JdbcFixture();
let sqlite: TestDb;
let postgres: TestDb;

before(async () => {
  await fixture.start();
  [sqlite, postgres] = await fixture.databases('sink');
});

after(async () => {
  await fixture.stop();
});

function sink(db: TestDb, topic: string, extra: Record<string, string>): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    'connection.url': db.url,
    topics: topic,
    ...extra,
  };
}

const PERSON = [
  { field: 'id', type: 'int32' },
  { field: 'name', type: 'string' },
  { field: 'score', type: 'double', optional: true },
  { field: 'born', type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp', optional: true },
];

async function rowsOnceThere(db: TestDb, sql: string, count: number): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  await waitFor(`${count} rows from ${sql}`, async () => {
    try {
      rows = await db.rows(sql);
    } catch {
      return false; // the table is not created yet
    }
    return rows.length >= count;
  });
  return rows;
}

for (const which of ['sqlite', 'postgres'] as const) {
  const db = () => (which === 'sqlite' ? sqlite : postgres);
  // SQLite reserves table names starting with sqlite_.
  const prefix = which === 'sqlite' ? 'lite' : 'pg';

  test(`${which}: insert mode creates the table from the value schema (auto.create) and adds a new optional field as a column (auto.evolve)`, async () => {
    const d = db();
    const topic = `${prefix}_people`;
    await fixture.createTopic(topic);
    const born = Date.UTC(1990, 4, 17, 8, 30, 0, 125);
    await fixture.produce(topic, [
      { key: null, value: envelope(PERSON, { id: 1, name: 'ann', score: 1.5, born }) },
      { key: null, value: envelope(PERSON, { id: 2, name: 'bob', score: null, born: null }) },
    ]);
    await fixture.worker.herder.putConnectorConfig(
      `${which}-people`,
      sink(d, topic, { 'auto.create': 'true', 'auto.evolve': 'true', 'insert.mode': 'insert' }),
      false,
    );
    const order = 'ORDER BY id';
    let rows = await rowsOnceThere(d, `SELECT * FROM ${topic} ${order}`, 2);
    assert.deepEqual(
      rows.map((r) => [r.id, r.name, r.score]),
      [
        [1, 'ann', 1.5],
        [2, 'bob', null],
      ],
    );
    const bornValue = rows[0]!.born;
    // SQLite: epoch milliseconds; PostgreSQL: a TIMESTAMP column holding the UTC time (pg reads it as local time).
    if (which === 'sqlite') assert.equal(bornValue, born);
    else assert.equal((bornValue as Date).getTime() - (bornValue as Date).getTimezoneOffset() * 60_000, born);

    // A new optional field: the table gets a nullable column, old rows keep NULL in it.
    const withEmail = [...PERSON, { field: 'email', type: 'string', optional: true }];
    await fixture.produce(topic, [{ key: null, value: envelope(withEmail, { id: 3, name: 'cid', email: 'c@x' }) }]);
    rows = await rowsOnceThere(d, `SELECT id, name, email FROM ${topic} ${order}`, 3);
    assert.deepEqual(
      rows.map((r) => [r.id, r.name, r.email]),
      [
        [1, 'ann', null],
        [2, 'bob', null],
        [3, 'cid', 'c@x'],
      ],
    );
    // A new required field cannot be added: the task fails with Confluent's message.
    const withRequired = [...withEmail, { field: 'team', type: 'string' }];
    await fixture.produce(topic, [{ key: null, value: envelope(withRequired, { id: 4, name: 'dee', team: 'x' }) }]);
    await waitFor(
      'the task to fail',
      () => fixture.worker.herder.status(`${which}-people`).tasks[0]?.state === 'FAILED',
    );
    assert.match(
      fixture.worker.herder.status(`${which}-people`).tasks[0]?.trace ?? '',
      /Cannot ALTER TABLE .*people.* to add missing field team, as the field is not optional and does not have a default value/,
    );
    assert.equal((await d.rows(`SELECT id FROM ${topic}`)).length, 3);
    await fixture.worker.herder.deleteConnector(`${which}-people`);
  });

  test(`${which}: upsert with pk.mode=record_key updates rows by key, and a tombstone deletes (delete.enabled)`, async () => {
    const d = db();
    const topic = `${prefix}_stock`;
    await fixture.createTopic(topic);
    const key = (id: number) => ({ schema: { type: 'int32', optional: false }, payload: id });
    const ITEM = [
      { field: 'item', type: 'string' },
      { field: 'qty', type: 'int32' },
    ];
    await fixture.produce(topic, [
      { key: key(1), value: envelope(ITEM, { item: 'apple', qty: 3 }) },
      { key: key(2), value: envelope(ITEM, { item: 'pear', qty: 5 }) },
      { key: key(3), value: envelope(ITEM, { item: 'fig', qty: 1 }) },
      { key: key(1), value: envelope(ITEM, { item: 'apple', qty: 7 }) },
      { key: key(2), value: null },
    ]);
    await fixture.worker.herder.putConnectorConfig(
      `${which}-stock`,
      sink(d, topic, {
        'auto.create': 'true',
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'sku',
        'delete.enabled': 'true',
      }),
      false,
    );
    await waitFor('the sink group to commit all 5 offsets', async () => {
      try {
        return (await d.rows(`SELECT sku FROM ${topic} WHERE sku = 3`)).length === 1;
      } catch {
        return false;
      }
    });
    await waitFor('the delete and the update', async () => {
      const rows = await d.rows(`SELECT sku, item, qty FROM ${topic} ORDER BY sku`);
      return (
        JSON.stringify(rows.map((r) => [r.sku, r.item, r.qty])) ===
        JSON.stringify([
          [1, 'apple', 7],
          [3, 'fig', 1],
        ])
      );
    });
    // update mode touches existing rows only.
    await fixture.worker.herder.putConnectorConfig(
      `${which}-stock`,
      sink(d, topic, { 'insert.mode': 'update', 'pk.mode': 'record_key', 'pk.fields': 'sku' }),
      true,
    );
    await fixture.produce(topic, [
      { key: key(3), value: envelope(ITEM, { item: 'fig', qty: 2 }) },
      { key: key(9), value: envelope(ITEM, { item: 'kiwi', qty: 9 }) },
    ]);
    await waitFor('the update of sku 3', async () => {
      const rows = await d.rows(`SELECT qty FROM ${topic} WHERE sku = 3`);
      return rows[0]?.qty === 2;
    });
    assert.deepEqual(
      (await d.rows(`SELECT sku FROM ${topic} ORDER BY sku`)).map((r) => r.sku),
      [1, 3],
    );
    await fixture.worker.herder.deleteConnector(`${which}-stock`);
  });

  test(`${which}: pk.mode=kafka keys rows by topic, partition and offset; fields.whitelist limits the columns`, async () => {
    const d = db();
    const topic = `${prefix}_audit`;
    await fixture.createTopic(topic);
    const EVENT = [
      { field: 'what', type: 'string' },
      { field: 'secret', type: 'string' },
    ];
    await fixture.produce(topic, [
      { key: null, value: envelope(EVENT, { what: 'login', secret: 's1' }) },
      { key: null, value: envelope(EVENT, { what: 'logout', secret: 's2' }) },
    ]);
    await fixture.worker.herder.putConnectorConfig(
      `${which}-audit`,
      sink(d, topic, {
        'auto.create': 'true',
        'pk.mode': 'kafka',
        'fields.whitelist': 'what',
        'insert.mode': 'upsert',
      }),
      false,
    );
    const rows = await rowsOnceThere(d, `SELECT * FROM ${topic} ORDER BY __connect_offset`, 2);
    assert.deepEqual(
      rows.map((r) => ({ ...r, __connect_offset: Number(r.__connect_offset) })),
      [
        { __connect_topic: topic, __connect_partition: 0, __connect_offset: 0, what: 'login' },
        { __connect_topic: topic, __connect_partition: 0, __connect_offset: 1, what: 'logout' },
      ],
    );
    await fixture.worker.herder.deleteConnector(`${which}-audit`);
  });
}

test('records without a schema fail the task with Confluent message; a missing table without auto.create too', async () => {
  const herder = fixture.worker.herder;
  await fixture.createTopic('schemaless');
  await fixture.produce('schemaless', [{ key: null, value: { id: 1 } }]);
  await herder.putConnectorConfig(
    'schemaless',
    sink(sqlite, 'schemaless', {
      'auto.create': 'true',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    }),
    false,
  );
  await waitFor('the task to fail', () => herder.status('schemaless').tasks[0]?.state === 'FAILED');
  assert.match(
    herder.status('schemaless').tasks[0]?.trace ?? '',
    /Sink connector 'schemaless' is configured with 'delete.enabled=false' and 'pk.mode=none' and therefore requires records with a non-null Struct value and non-null Struct schema, but found record at \(topic='schemaless',partition=0,offset=0,timestamp=\d+\) with a HashMap value and null value schema./,
  );
  await herder.deleteConnector('schemaless');

  await fixture.createTopic('nowhere');
  await fixture.produce('nowhere', [{ key: null, value: envelope([{ field: 'a', type: 'int32' }], { a: 1 }) }]);
  await herder.putConnectorConfig('nowhere', sink(postgres, 'nowhere', {}), false);
  await waitFor('the task to fail', () => herder.status('nowhere').tasks[0]?.state === 'FAILED');
  assert.match(
    herder.status('nowhere').tasks[0]?.trace ?? '',
    /Table "nowhere" is missing and auto-creation is disabled/,
  );
  await herder.deleteConnector('nowhere');

  await assert.rejects(
    herder.putConnectorConfig('bad-delete', sink(sqlite, 'x', { 'delete.enabled': 'true' }), false),
    /Primary key mode must be 'record_key' when delete support is enabled/,
  );
  await assert.rejects(
    herder.putConnectorConfig('bad-mode', sink(sqlite, 'x', { 'insert.mode': 'merge' }), false),
    /Invalid value merge for configuration insert.mode: Invalid enumerator/,
  );
});
