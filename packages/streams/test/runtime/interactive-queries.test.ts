import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Materialized } from '../../src/dsl/materialized.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { HostInfo } from '../../src/runtime/host-info.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { KeyQueryMetadata } from '../../src/runtime/streams-metadata.js';
import { Serdes } from '../../src/serde/serdes.js';
import { QueryableStoreTypes, StoreQueryParameters } from '../../src/state/queryable-store-types.js';
import { ConfigException } from '../../src/streams-config.js';

// Interactive queries across two instances of one application: each announces its
// `application.server` in the group's subscription, and both answer where every key of the
// store lives — the partition the producer's default partitioner (murmur2) picked, and the
// instance whose local store holds the key. Asking that instance is the application's part.

const APP = 'iq-app';
const KEYS = Array.from({ length: 60 }, (_, i) => `user-${i}`);
let broker: BrokerProcess;
const dirs: string[] = [];
/** Key → the partition the producer put it in, as the broker acknowledged. */
const partitionOfKey = new Map<string, number>();

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: 'iq-clicks', numPartitions: 4, replicationFactor: 1 }]);
  await admin.close();
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  const records = KEYS.flatMap((key, i) =>
    Array.from({ length: 1 + (i % 5) }, () => ({ topic: 'iq-clicks', key, value: 'x' })),
  );
  const acks = await producer.sendBatch(records);
  for (const [i, ack] of acks.entries()) partitionOfKey.set(records[i]?.key as string, ack.partition);
  await producer.close();
});

after(async () => {
  await broker?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function instance(server: string): KafkaStreams {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('iq-clicks').groupByKey().count(Materialized.as('clicks'));
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-iq-'));
  dirs.push(dir);
  return new KafkaStreams(builder.build(), {
    'application.id': APP,
    'bootstrap.servers': broker.bootstrap,
    'application.server': server,
    'default.key.serde': Serdes.String(),
    'default.value.serde': Serdes.String(),
    'state.dir': dir,
    'commit.interval.ms': 100,
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
}

const expectedCount = (key: string) => BigInt(1 + (KEYS.indexOf(key) % 5));
const clicks = StoreQueryParameters.fromNameAndType('clicks', QueryableStoreTypes.keyValueStore<string, bigint>());

test('application.server must be host:port', () => {
  assert.throws(
    () => instance('no-port'),
    (e: unknown) =>
      e instanceof ConfigException && e.message === 'Error parsing host address no-port. Expected format host:port.',
  );
  assert.deepEqual(HostInfo.buildFromEndpoint('[::1]:8080'), new HostInfo('::1', 8080));
});

test('two instances know where every key of a store lives', { timeout: 120_000 }, async () => {
  const a = instance('localhost:7001');
  const b = instance('127.0.0.1:7002');
  assert.throws(() => a.metadataForAllStreamsClients(), /StreamsNotStartedException/);
  await a.start();
  await b.start();
  const both = () =>
    [a, b].every(
      (s) =>
        s.state() === State.RUNNING &&
        s.metadataForAllStreamsClients().length === 2 &&
        s.metadataForAllStreamsClients().every((m) => m.topicPartitions().length === 2),
    );
  await until(both);
  const all = a.metadataForAllStreamsClients();
  assert.deepEqual(
    all.map((m) => `${m.host()}:${m.port()}`),
    ['127.0.0.1:7002', 'localhost:7001'],
  );
  assert.deepEqual(all.flatMap((m) => m.topicPartitions().map((tp) => `${tp.topic}-${tp.partition}`)).sort(), [
    'iq-clicks-0',
    'iq-clicks-1',
    'iq-clicks-2',
    'iq-clicks-3',
  ]);
  assert.ok(all.every((m) => m.stateStoreNames().has('clicks')));
  assert.deepEqual(
    b.metadataForAllStreamsClients().map((m) => String(m)),
    all.map((m) => String(m)),
    'both instances see the same placement',
  );
  assert.equal(a.streamsMetadataForStore('clicks').length, 2);
  assert.deepEqual(a.streamsMetadataForStore('no-such-store'), []);
  assert.equal(a.queryMetadataForKey('no-such-store', 'k', Serdes.String().serializer()), undefined);

  // Wait for the counts, then follow each key's metadata to the instance holding it.
  const byHost = new Map([
    ['localhost:7001', a],
    ['127.0.0.1:7002', b],
  ]);
  const where = (key: string) => a.queryMetadataForKey('clicks', key, Serdes.String().serializer()) as KeyQueryMetadata;
  await until(() =>
    KEYS.every((key) => byHost.get(where(key).activeHost().endpoint())?.store(clicks).get(key) === expectedCount(key)),
  );
  for (const key of KEYS) {
    const metadata = where(key);
    assert.equal(metadata.partition(), partitionOfKey.get(key), `${key}: the partition the producer picked`);
    assert.deepEqual(
      b.queryMetadataForKey('clicks', key, Serdes.String().serializer()),
      metadata,
      `${key}: same answer on both`,
    );
    assert.equal(metadata.standbyHosts().size, 0);
    const other = metadata.activeHost().endpoint() === 'localhost:7001' ? b : a;
    assert.equal(other.store(clicks).get(key), null, `${key} is not on the other instance`);
  }
  // A StreamPartitioner instead of a serializer, as Java's overload.
  assert.equal(a.queryMetadataForKey('clicks', 'user-1', () => 3)?.partition(), 3);

  // B leaves: A's metadata shows it alone, with every partition.
  await b.close();
  await until(() => a.state() === State.RUNNING && a.metadataForAllStreamsClients().length === 1);
  assert.equal(a.metadataForAllStreamsClients()[0]?.topicPartitions().length, 4);
  assert.equal(where('user-3').activeHost().endpoint(), 'localhost:7001');
  await a.close();
  assert.throws(() => a.streamsMetadataForStore('clicks'), /IllegalStateException: KafkaStreams is not running/);
  assert.equal(String(KeyQueryMetadata.NOT_AVAILABLE.activeHost()), "HostInfo{host='unavailable', port=-1}");
});
