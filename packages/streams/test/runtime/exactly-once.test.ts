import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { Serdes } from '../../src/serde/serdes.js';

// exactly_once_v2: a word count whose first instance fails in the middle of a transaction (an
// injected error). Its uncommitted outputs, changelog writes and offsets are aborted; a second
// instance restores the counts from committed changelog records and reprocesses from the
// committed offsets. Read with read_committed, every word's counts in the output are exactly
// 1, 2, …, n — no count repeated, none skipped — which at_least_once would not guarantee.

const APP = 'eos-e2e';
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
let broker: BrokerProcess;
let stateDir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-eos-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'eos-in', numPartitions: 2, replicationFactor: 1 },
    { name: 'eos-out', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

let failed = false;

function wordCount(): KafkaStreams {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('eos-in')
    .peek((_k, v) => {
      if (v === 'boom' && !failed) {
        failed = true;
        throw new Error('injected failure');
      }
    })
    .flatMapValues((v) => v.split(' '))
    .groupBy((_k, w) => w)
    .count()
    .toStream()
    .to('eos-out', Produced.with(Serdes.String(), Serdes.Long()));
  return new KafkaStreams(builder.build(), {
    'application.id': APP,
    'bootstrap.servers': broker.bootstrap,
    'default.key.serde': Serdes.String(),
    'default.value.serde': Serdes.String(),
    'state.dir': stateDir,
    'processing.guarantee': 'exactly_once_v2',
    // Every update goes out, so that the output can be checked for each count exactly once.
    'statestore.cache.max.bytes': 0,
  });
}

async function readCommitted(until: (seen: Map<string, bigint[]>) => boolean): Promise<Map<string, bigint[]>> {
  const consumer = new Consumer<string, bigint>({
    'bootstrap.servers': broker.bootstrap,
    'isolation.level': 'read_committed',
    keyDeserializer: 'string',
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([{ topic: 'eos-out', partition: 0 }]);
  consumer.seekToBeginning();
  const seen = new Map<string, bigint[]>();
  try {
    while (!until(seen)) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) {
        const list = seen.get(r.key as string) ?? [];
        list.push(r.value as bigint);
        seen.set(r.key as string, list);
      }
    }
    return seen;
  } finally {
    await consumer.close();
  }
}

test('exactly_once_v2: an aborted transaction leaves no trace in outputs or state', async () => {
  const expected = new Map<string, bigint>();
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const line = i === 2000 ? 'boom' : `${WORDS[i % 5]} ${WORDS[(i * 7) % 5]}`;
    for (const w of line.split(' ')) expected.set(w, (expected.get(w) ?? 0n) + 1n);
    lines.push(line);
  }
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(lines.map((value, i) => ({ topic: 'eos-in', key: `k${i % 10}`, value })));
  await producer.close();

  const first = wordCount();
  const errors: Error[] = [];
  first.setUncaughtExceptionHandler((e) => errors.push(e));
  await first.start();
  while (first.state() !== State.ERROR) await new Promise((r) => setTimeout(r, 50));
  assert.match(errors[0]?.message ?? '', /injected failure/);

  const second = wordCount();
  await second.start();
  const latestIs = (seen: Map<string, bigint[]>) =>
    seen.size === expected.size && [...expected].every(([w, n]) => seen.get(w)?.at(-1) === n);
  const seen = await readCommitted(latestIs);
  await second.close();
  for (const [word, counts] of seen) {
    const n = Number(expected.get(word));
    assert.deepEqual(
      counts,
      Array.from({ length: n }, (_, i) => BigInt(i + 1)),
      `${word}: every count exactly once`,
    );
  }
});
