import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { Produced } from '../../src/dsl/produced.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../src/dsl/suppressed.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { Serdes } from '../../src/serde/serdes.js';
import { WindowedSerdes } from '../../src/serde/windowed-serdes.js';

// Session windows with final results on a broker: per-user sessions (10 s gap), suppressed until
// they close. The first run buffers; the state directory is then deleted, so the second run
// restores the session store and the suppression buffer from their changelogs. A record then
// extends a restored session and a later one closes everything: each session is emitted once.

let broker: BrokerProcess;
let stateDir: string;
const BASE = 1_700_000_000_000;
const SESSION_CHANGELOG = 'sessions-e2e-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog';

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-sessions-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'activity', numPartitions: 1, replicationFactor: 1 },
    { name: 'sessions-final', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

async function produce(records: { user: string; atMs: number }[]): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(
    records.map((r) => ({ topic: 'activity', key: r.user, value: 'click', timestamp: BASE + r.atMs })),
  );
  await producer.close();
}

function app(): KafkaStreams {
  const builder = new StreamsBuilder();
  builder
    .stream('activity', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10_000))
    .count()
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .to('sessions-final', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), Serdes.Long()));
  return new KafkaStreams(builder.build(), {
    'application.id': 'sessions-e2e',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
  });
}

/** Reads `topic` from the start until `done` says so; returns what it read. */
async function readUntil(
  topic: string,
  done: (records: { key: Buffer | null; value: Buffer | null }[]) => boolean,
): Promise<{ key: Buffer | null; value: Buffer | null }[]> {
  const consumer = new Consumer<Buffer, Buffer>({ 'bootstrap.servers': broker.bootstrap });
  consumer.assign([{ topic, partition: 0 }]);
  consumer.seekToBeginning();
  const records: { key: Buffer | null; value: Buffer | null }[] = [];
  try {
    while (!done(records)) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) records.push({ key: r.key, value: r.value });
    }
  } finally {
    await consumer.close();
  }
  return records;
}

test('session windows + suppress(untilWindowCloses) on a broker, restored from both changelogs', async () => {
  await produce([
    { user: 'u1', atMs: 0 },
    { user: 'u1', atMs: 5_000 },
    { user: 'u2', atMs: 1_000 },
  ]);
  let streams = app();
  await streams.start();
  // Processed once the session store's changelog holds u2's session.
  await readUntil(SESSION_CHANGELOG, (rs) => rs.some((r) => r.key?.subarray(0, 2).toString() === 'u2'));
  await streams.close();
  streams.cleanUp(); // nothing local: both stores come back from their changelogs
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  const policy = async (topic: string) =>
    (await admin.describeConfigs([{ type: 'topic', name: topic, keys: ['cleanup.policy'] }]))[0]?.configs.find(
      (c) => c.name === 'cleanup.policy',
    )?.value;
  assert.equal(await policy(SESSION_CHANGELOG), 'compact,delete');
  assert.equal(await policy('sessions-e2e-KTABLE-SUPPRESS-STATE-STORE-0000000004-changelog'), 'compact');
  await admin.close();

  await produce([
    { user: 'u1', atMs: 8_000 }, // extends the restored session [0, 5000]
    { user: 'u3', atMs: 100_000 }, // stream time 100 s: the sessions above close
  ]);
  streams = app();
  await streams.start();
  const windowed = WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()).deserializer();
  const show = (r: { key: Buffer | null; value: Buffer | null }) => {
    const key = windowed.deserialize('sessions-final', r.key);
    const start = (key?.window().start() ?? 0) - BASE;
    const end = (key?.window().end() ?? 0) - BASE;
    return `${key?.key()}@${start}/${end}=${r.value?.readBigInt64BE(0)}`;
  };
  const out = await readUntil('sessions-final', (rs) => rs.length >= 2);
  await streams.close();
  assert.deepEqual(out.map(show).sort(), ['u1@0/8000=3', 'u2@1000/1000=1']);
});
