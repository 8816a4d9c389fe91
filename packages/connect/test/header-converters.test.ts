import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Consumer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { ConfigDef } from '../src/config/config-def.js';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import type { ConnectHeader, SinkRecord, SourceRecord } from '../src/connector/connect-record.js';
import { type Props, SinkConnector, SinkTask, SourceConnector, SourceTask } from '../src/connector/connector.js';
import { Schema, SchemaBuilder, Struct } from '../src/data/schema.js';
import { waitFor } from './support/worker-process.js';

// Typed headers through a real broker: a source task emits headers with schemas, the worker's
// header converter (SimpleHeaderConverter by default, JsonConverter for one connector) writes
// them as bytes, and a sink task gets them back with schemas inferred (or carried) by the
// converter, before transforms and put.

const POINT = SchemaBuilder.struct().field('x', Schema.INT32_SCHEMA).field('y', Schema.INT32_SCHEMA).build();

function typedHeaders(i: number): ConnectHeader[] {
  return [
    { key: 'int', schema: Schema.INT32_SCHEMA, value: 42 + i },
    { key: 'long', schema: Schema.INT64_SCHEMA, value: 5_000_000_000 },
    { key: 'bool', schema: Schema.BOOLEAN_SCHEMA, value: i % 2 === 0 },
    { key: 'text', schema: Schema.STRING_SCHEMA, value: `hello ${i}` },
    {
      key: 'map',
      schema: SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
      value: new Map([['a', 1]]),
    },
    { key: 'point', schema: POINT, value: new Struct(POINT).put('x', 1).put('y', 2) },
    { key: 'none', schema: null, value: null },
  ];
}

class TypedHeaderSourceTask extends SourceTask {
  private sent = false;
  private topic = '';
  version() {
    return '1.0';
  }
  start(props: Props) {
    this.topic = props.topic ?? '';
  }
  async poll(): Promise<SourceRecord[] | null> {
    if (this.sent) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return null;
    }
    this.sent = true;
    return [0, 1].map((i) => ({
      sourcePartition: { p: 0 },
      sourceOffset: { i },
      topic: this.topic,
      value: `v${i}`,
      headers: typedHeaders(i),
    }));
  }
  stop() {}
}

class TypedHeaderSourceConnector extends SourceConnector {
  private props: Props = {};
  version() {
    return '1.0';
  }
  start(props: Props) {
    this.props = props;
  }
  taskClass() {
    return TypedHeaderSourceTask;
  }
  taskConfigs(): Props[] {
    return [{ topic: this.props.topic ?? '' }];
  }
  stop() {}
  config() {
    return new ConfigDef();
  }
}

/** The headers each sink connector's task was given, by connector name. */
const seen = new Map<string, (readonly ConnectHeader[])[]>();

class HeaderRecordingSinkTask extends SinkTask {
  private name = '';
  version() {
    return '1.0';
  }
  start(props: Props) {
    this.name = props.name ?? '';
  }
  put(records: readonly SinkRecord[]) {
    const list = seen.get(this.name) ?? [];
    for (const r of records) list.push(r.headers);
    seen.set(this.name, list);
  }
  stop() {}
}

class HeaderRecordingSinkConnector extends SinkConnector {
  private props: Props = {};
  version() {
    return '1.0';
  }
  start(props: Props) {
    this.props = props;
  }
  taskClass() {
    return HeaderRecordingSinkTask;
  }
  taskConfigs(): Props[] {
    return [{ name: this.props.name ?? '' }];
  }
  stop() {}
  config() {
    return new ConfigDef();
  }
}

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-headers-'));
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=300',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  worker = await startStandalone(join(dir, 'worker.properties'), []);
  worker.herder.plugins.register('com.example.TypedHeaderSourceConnector', TypedHeaderSourceConnector);
  worker.herder.plugins.register('com.example.HeaderRecordingSinkConnector', HeaderRecordingSinkConnector);
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function rawHeaders(topic: string, count: number): Promise<{ key: string; value: string | null }[][]> {
  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  try {
    consumer.assign([{ topic, partition: 0 }]);
    consumer.seekToBeginning();
    const out: { key: string; value: string | null }[][] = [];
    await waitFor(`${count} records in ${topic}`, async () => {
      for (const r of await consumer.poll({ timeoutMs: 300 }))
        out.push(r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString('utf8') })));
      return out.length >= count;
    });
    return out;
  } finally {
    await consumer.close();
  }
}

async function pipeline(name: string, converter: Record<string, string>): Promise<(readonly ConnectHeader[])[]> {
  await worker.herder.putConnectorConfig(
    `${name}-sink`,
    { 'connector.class': 'com.example.HeaderRecordingSinkConnector', topics: name, ...converter },
    false,
  );
  await worker.herder.putConnectorConfig(
    `${name}-source`,
    { 'connector.class': 'com.example.TypedHeaderSourceConnector', topic: name, ...converter },
    false,
  );
  await waitFor(`2 records at ${name}-sink`, () => (seen.get(`${name}-sink`)?.length ?? 0) >= 2);
  return seen.get(`${name}-sink`)!;
}

test('SimpleHeaderConverter (the default): Values text in Kafka, schemas inferred back at the sink', async () => {
  const headers = await pipeline('simple-headers', {});
  assert.deepEqual((await rawHeaders('simple-headers', 2))[0], [
    { key: 'int', value: '42' },
    { key: 'long', value: '5000000000' },
    { key: 'bool', value: 'true' },
    { key: 'text', value: 'hello 0' },
    { key: 'map', value: '{"a":1}' },
    { key: 'point', value: '{"x":1,"y":2}' },
    { key: 'none', value: null },
  ]);
  assert.equal(headers.length, 2);
  assert.deepEqual(headers[1], [
    { key: 'int', schema: Schema.INT8_SCHEMA, value: 43 },
    { key: 'long', schema: Schema.INT64_SCHEMA, value: 5_000_000_000 },
    { key: 'bool', schema: Schema.BOOLEAN_SCHEMA, value: false },
    { key: 'text', schema: Schema.STRING_SCHEMA, value: 'hello 1' },
    {
      key: 'map',
      schema: SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(),
      value: new Map([['a', 1]]),
    },
    {
      key: 'point',
      schema: SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(),
      value: new Map([
        ['x', 1],
        ['y', 2],
      ]),
    },
    { key: 'none', schema: null, value: null },
  ]);
});

test('a connector header.converter=JsonConverter overrides the worker: schemas travel with the headers', async () => {
  const headers = await pipeline('json-headers', { 'header.converter': 'org.apache.kafka.connect.json.JsonConverter' });
  assert.deepEqual((await rawHeaders('json-headers', 2))[0]?.[0], {
    key: 'int',
    value: '{"schema":{"type":"int32","optional":false},"payload":42}',
  });
  const [int, long, bool, text] = headers[0]!;
  assert.deepEqual(int, { key: 'int', schema: Schema.INT32_SCHEMA, value: 42 });
  assert.deepEqual(long, { key: 'long', schema: Schema.INT64_SCHEMA, value: 5_000_000_000 });
  assert.deepEqual(bool, { key: 'bool', schema: Schema.BOOLEAN_SCHEMA, value: true });
  assert.deepEqual(text, { key: 'text', schema: Schema.STRING_SCHEMA, value: 'hello 0' });
  const point = headers[0]![5]!;
  assert.ok(point.value instanceof Struct);
  assert.equal(point.value.get('y'), 2);
});
