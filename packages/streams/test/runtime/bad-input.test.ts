import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { StreamsConfigInput } from '../../src/streams-config.js';

// The "Bad input" test on a broker: `bad-input` holds Longs (8 bytes) and, at offset 2,
// a 3-byte value. With LogAndContinueExceptionHandler the record is skipped and counted in
// dropped-records-total; with the default (LogAndFailExceptionHandler) the application stops in
// ERROR with the offending topic, partition and offset in the exception's message.

let broker: BrokerProcess;
let stateDir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-bad-input-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'bad-input', numPartitions: 1, replicationFactor: 1 },
    { name: 'bad-output', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
  const producer = new Producer<string, Buffer>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'buffer',
  });
  const long = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(n));
    return b;
  };
  await producer.sendBatch(
    [long(1), long(2), Buffer.from('bad'), long(3), long(4)].map((value) => ({ topic: 'bad-input', key: 'k', value })),
  );
  await producer.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

function app(config: StreamsConfigInput): KafkaStreams {
  const builder = new StreamsBuilder();
  builder
    .stream('bad-input', Consumed.with(Serdes.String(), Serdes.Long()))
    .mapValues((v) => `${v}-${String(config['application.id'])}`)
    .to('bad-output', Produced.with(Serdes.String(), Serdes.String()));
  return new KafkaStreams(builder.build(), {
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
    ...config,
  });
}

async function outputOf(appId: string, count: number): Promise<string[]> {
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  });
  consumer.assign([{ topic: 'bad-output', partition: 0 }]);
  consumer.seekToBeginning();
  const values: string[] = [];
  try {
    while (values.length < count) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) {
        const value = String(r.value);
        if (value.endsWith(`-${appId}`)) values.push(value);
      }
    }
  } finally {
    await consumer.close();
  }
  return values;
}

test('log-and-continue: the bad record is skipped and counted, the others go through', async () => {
  const streams = app({
    'application.id': 'bad-continue',
    'default.deserialization.exception.handler': 'org.apache.kafka.streams.errors.LogAndContinueExceptionHandler',
  });
  await streams.start();
  assert.deepEqual(await outputOf('bad-continue', 4), [
    '1-bad-continue',
    '2-bad-continue',
    '3-bad-continue',
    '4-bad-continue',
  ]);
  const dropped = streams.metrics().find((m) => m.name === 'dropped-records-total' && m.tags['task-id'] === '0_0');
  assert.equal(dropped?.metricValue(), 1);
  assert.equal(streams.state(), State.RUNNING);
  await streams.close();
});

test('log-and-fail (the default): the application goes to ERROR naming topic, partition and offset', async () => {
  const streams = app({ 'application.id': 'bad-fail' });
  const errors: Error[] = [];
  streams.setUncaughtExceptionHandler((error) => errors.push(error));
  await streams.start();
  while (streams.state() !== State.ERROR) await new Promise((r) => setTimeout(r, 50));
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]?.message ?? '',
    /^Deserialization exception handler is set to fail upon a deserialization error\..*\(taskId: 0_0, topic: bad-input, partition: 0, offset: 2\)$/,
  );
  assert.equal(errors[0]?.name, 'StreamsException');
  await streams.close();
});
