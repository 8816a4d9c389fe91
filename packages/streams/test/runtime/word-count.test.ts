import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess, requirePythonModule } from '@samsa/testkit';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { Serdes } from '../../src/serde/serdes.js';

// The seed's word count, end to end on a real broker: 20,000 lines in, the latest count per word
// out (checked with our consumer and with kafka-python reading Java's Long encoding), then a
// restart from an empty state directory that must continue from the changelog.

const APP = 'wordcount-e2e';
const WORDS = ['kafka', 'streams', 'samsa', 'gregor', 'beetle', 'topic', 'partition', 'offset', 'Log', 'TABLE'];
let broker: BrokerProcess;
let stateDir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-state-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'word-topic', numPartitions: 3, replicationFactor: 1 },
    { name: 'result-topic', numPartitions: 2, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

/** Deterministic lines (a linear congruential generator), and the counts Java would compute. */
function lines(seed: number, count: number, expected: Map<string, bigint>): string[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + (next() % 6);
    const words = Array.from({ length: n }, () => WORDS[next() % WORDS.length] as string);
    const line = `${words.join(n % 2 === 0 ? ' ' : ', ')}!`;
    for (const w of line.toLowerCase().split(/\W+/)) expected.set(w, (expected.get(w) ?? 0n) + 1n);
    out.push(line);
  }
  return out;
}

async function produce(values: string[]): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
    'linger.ms': 5,
  });
  await producer.sendBatch(values.map((value, i) => ({ topic: 'word-topic', key: `line-${i}`, value })));
  await producer.close();
}

function wordCount(): KafkaStreams {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('word-topic')
    .flatMapValues((v) => v.toLowerCase().split(/\W+/))
    .groupBy((_k, v) => v)
    .count()
    .toStream()
    .to('result-topic', Produced.with(Serdes.String(), Serdes.Long()));
  return new KafkaStreams(builder.build(), {
    'application.id': APP,
    'bootstrap.servers': broker.bootstrap,
    'default.key.serde': Serdes.String(),
    'default.value.serde': Serdes.String(),
    'state.dir': stateDir,
    'commit.interval.ms': 500,
  });
}

/** Reads result-topic from the beginning until the latest count of every word is `expected`. */
async function awaitCounts(expected: Map<string, bigint>, read = { records: 0 }): Promise<Map<string, bigint>> {
  const consumer = new Consumer<string, bigint>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'string',
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([
    { topic: 'result-topic', partition: 0 },
    { topic: 'result-topic', partition: 1 },
  ]);
  consumer.seekToBeginning();
  const latest = new Map<string, bigint>();
  const matches = () => latest.size === expected.size && [...expected].every(([w, n]) => latest.get(w) === n);
  try {
    while (!matches()) {
      for (const r of await consumer.poll({ timeoutMs: 500 })) {
        latest.set(r.key as string, r.value as bigint);
        read.records++;
      }
    }
    return latest;
  } finally {
    await consumer.close();
  }
}

async function awaitState(streams: KafkaStreams, state: State): Promise<void> {
  while (streams.state() !== state) await new Promise((r) => setTimeout(r, 50));
}

test('word count: counts, Java bytes, a restart from the changelog', async () => {
  const expected = new Map<string, bigint>();
  await produce(lines(42, 20_000, expected));

  const transitions: string[] = [];
  let streams = wordCount();
  streams.setStateListener((next, old) => transitions.push(`${old}->${next}`));
  await streams.start();
  await awaitState(streams, State.RUNNING);
  const read = { records: 0 };
  const counts = await awaitCounts(expected, read);
  assert.equal(counts.get('kafka'), expected.get('kafka'));
  // The record cache (10 MiB by default) sends each word's latest count per commit, not every update.
  const words = [...expected.values()].reduce((a, b) => a + b, 0n);
  assert.ok(BigInt(read.records) < words, `${read.records} output records for ${words} counted words`);
  await streams.close();
  assert.equal(streams.state(), State.NOT_RUNNING);
  assert.deepEqual(transitions.slice(0, 2), ['CREATED->REBALANCING', 'REBALANCING->RUNNING']);
  assert.deepEqual(transitions.slice(-2), ['RUNNING->PENDING_SHUTDOWN', 'PENDING_SHUTDOWN->NOT_RUNNING']);

  // The internal topics Java would create, with the partition counts of their sub-topologies.
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  const repartition = `${APP}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition`;
  const changelog = `${APP}-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog`;
  const described = await admin.describeTopics([repartition, changelog]);
  assert.deepEqual(
    described.map((t) => [t.name, t.partitions.length]),
    [
      [repartition, 3],
      [changelog, 3],
    ],
  );
  const [config] = await admin.describeConfigs([{ type: 'topic', name: changelog, keys: ['cleanup.policy'] }]);
  assert.equal(config?.configs.find((c) => c.name === 'cleanup.policy')?.value, 'compact');
  await admin.close();

  // Each task wrote a checkpoint of its changelog partition: a restart restores only the tail.
  const checkpoint = join(stateDir, APP, '1_0', '.checkpoint');
  assert.ok(existsSync(checkpoint), 'checkpoint of task 1_0');
  assert.match(readFileSync(checkpoint, 'utf8'), new RegExp(`^0\\n1\\n${changelog} 0 \\d+\\n$`));

  // kafka-python decodes the values as Java's LongDeserializer would: 8 bytes, big-endian.
  const python = requirePythonModule('kafka', 'python3-kafka');
  const script = `
import json, struct, sys
from kafka import KafkaConsumer
c = KafkaConsumer('result-topic', bootstrap_servers=sys.argv[1], auto_offset_reset='earliest',
                  consumer_timeout_ms=3000, key_deserializer=lambda b: b.decode('utf-8'),
                  value_deserializer=lambda b: struct.unpack('>q', b)[0])
latest = {}
for m in c:
    latest[m.key] = m.value
print(json.dumps(latest))
`;
  const fromPython = JSON.parse(execFileSync(python, ['-c', script, broker.bootstrap], { encoding: 'utf8' })) as {
    [word: string]: number;
  };
  assert.deepEqual(new Map(Object.entries(fromPython).map(([w, n]) => [w, BigInt(n)])), new Map([...expected].sort()));

  // Delete the local state: the restarted application restores the counts from the changelog,
  // and new lines add to them.
  streams.cleanUp();
  assert.ok(!existsSync(join(stateDir, APP)));
  await produce(lines(7, 2_000, expected));
  streams = wordCount();
  await streams.start();
  await awaitCounts(expected);
  await streams.close();
});
