/**
 * Our client against other clients on one broker: records produced by ours are read by kcat,
 * confluent-kafka and kafka-python with the same key → partition mapping, and the other way
 * round; librdkafka's murmur2_random partitioner and kafka-python's default agree with ours; a
 * group mixes our consumer with a confluent-kafka consumer.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Consumer, murmur2Partition, type RebalanceListener } from '@samsa/client';
import { type BrokerProcess, DEBIAN_PYTHON, requireCommand, requirePythonModule, run } from '@samsa/testkit';
import { createTopic, newProducer, readRecords, startBroker, uniqueName, waitFor } from './client-support.js';

const KCAT = requireCommand('kcat', 'kcat');
requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
requirePythonModule('kafka', 'python3-kafka');

const PARTITIONS = 6;
const KEYS = Array.from({ length: 60 }, (_, i) => `key-${i * 7919}`);

async function python(script: string, env: Record<string, string>): Promise<string> {
  const result = await run(DEBIAN_PYTHON, ['-c', script], { env: { ...process.env, ...env }, timeoutMs: 60000 });
  assert.equal(result.code, 0, `python failed:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

/** key → partition as another client reported it. */
function parseKeyPartitions(out: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of out.trim().split('\n')) {
    const [key, partition] = line.trim().split(' ');
    if (key !== undefined && partition !== undefined) map.set(key, Number(partition));
  }
  return map;
}

describe('interoperability with kcat, confluent-kafka and kafka-python', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  it('records from our producer: kcat, confluent-kafka and kafka-python read them with our key → partition', async () => {
    const topic = uniqueName('ours-to-theirs');
    await createTopic(broker.bootstrap, topic, PARTITIONS);
    const producer = newProducer(broker.bootstrap, { 'compression.type': 'snappy' });
    try {
      await producer.sendBatch(KEYS.map((key) => ({ topic, key, value: `value-of-${key}`, headers: { h: 'x' } })));
    } finally {
      await producer.close();
    }
    const expected = new Map(KEYS.map((k) => [k, murmur2Partition(Buffer.from(k), PARTITIONS)]));

    const kcat = await run(KCAT, ['-b', broker.bootstrap, '-C', '-t', topic, '-e', '-q', '-f', '%k %p %s\n'], {
      timeoutMs: 30000,
    });
    assert.equal(kcat.code, 0, kcat.stderr);
    assert.deepEqual(parseKeyPartitions(kcat.stdout), expected);
    assert.ok(kcat.stdout.includes('key-0 ') && kcat.stdout.includes('value-of-key-0'));

    const confluent = await python(
      `
import os
from confluent_kafka import Consumer, TopicPartition
c = Consumer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'group.id': 'ck-read', 'enable.auto.commit': False})
c.assign([TopicPartition(os.environ['TOPIC'], p, 0) for p in range(int(os.environ['N']))])
got = 0
while got < int(os.environ['COUNT']):
    m = c.poll(5)
    if m is None: break
    if m.error(): raise Exception(m.error())
    assert m.value().decode() == 'value-of-' + m.key().decode()
    assert m.headers() == [('h', b'x')]
    print(m.key().decode(), m.partition())
    got += 1
c.close()
`,
      { BOOTSTRAP: broker.bootstrap, TOPIC: topic, N: String(PARTITIONS), COUNT: String(KEYS.length) },
    );
    assert.deepEqual(parseKeyPartitions(confluent), expected);

    const kafkaPython = await python(
      `
import os
from kafka import KafkaConsumer
c = KafkaConsumer(os.environ['TOPIC'], bootstrap_servers=os.environ['BOOTSTRAP'], auto_offset_reset='earliest', consumer_timeout_ms=5000, api_version=(2, 5, 0))
got = 0
for m in c:
    print(m.key.decode(), m.partition)
    got += 1
    if got == int(os.environ['COUNT']): break
c.close()
`,
      { BOOTSTRAP: broker.bootstrap, TOPIC: topic, COUNT: String(KEYS.length) },
    );
    assert.deepEqual(parseKeyPartitions(kafkaPython), expected);
  });

  it("kcat with librdkafka's murmur2_random partitioner puts every key where ours does", async () => {
    const topic = uniqueName('kcat-murmur2');
    await createTopic(broker.bootstrap, topic, PARTITIONS);
    const input = `${KEYS.map((k) => `${k}:from-kcat`).join('\n')}\n`;
    const produced = await run(
      KCAT,
      ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':', '-X', 'partitioner=murmur2_random'],
      { input, timeoutMs: 30000 },
    );
    assert.equal(produced.code, 0, produced.stderr);
    const records = await readRecords<string, string>(broker.bootstrap, topic, PARTITIONS, KEYS.length, {
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    });
    for (const r of records) {
      assert.equal(r.value, 'from-kcat');
      assert.equal(r.partition, murmur2Partition(Buffer.from(r.key as string), PARTITIONS), `key ${r.key}`);
    }
    assert.equal(records.length, KEYS.length);
  });

  it('records from confluent-kafka (murmur2_random, lz4) and kafka-python (gzip) are read by ours, keys on our partitions', async () => {
    const topic = uniqueName('theirs-to-ours');
    await createTopic(broker.bootstrap, topic, PARTITIONS);
    await python(
      `
import os
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'partitioner': 'murmur2_random', 'compression.type': 'lz4', 'enable.idempotence': True})
for k in os.environ['KEYS'].split(','):
    p.produce(os.environ['TOPIC'], key=k, value='confluent', headers=[('src', b'ck')])
p.flush(10)
`,
      { BOOTSTRAP: broker.bootstrap, TOPIC: topic, KEYS: KEYS.join(',') },
    );
    await python(
      `
import os
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=os.environ['BOOTSTRAP'], compression_type='gzip', api_version=(2, 5, 0))
for k in os.environ['KEYS'].split(','):
    p.send(os.environ['TOPIC'], key=k.encode(), value=b'kafka-python')
p.flush(10)
p.close()
`,
      { BOOTSTRAP: broker.bootstrap, TOPIC: topic, KEYS: KEYS.join(',') },
    );
    const records = await readRecords<string, string>(broker.bootstrap, topic, PARTITIONS, KEYS.length * 2, {
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    });
    const bySource = new Map<string, Map<string, number>>();
    for (const r of records) {
      const map = bySource.get(r.value as string) ?? new Map<string, number>();
      map.set(r.key as string, r.partition);
      bySource.set(r.value as string, map);
      if (r.value === 'confluent')
        assert.deepEqual(
          r.headers.map((h) => [h.key, h.value?.toString()]),
          [['src', 'ck']],
        );
    }
    const expected = new Map(KEYS.map((k) => [k, murmur2Partition(Buffer.from(k), PARTITIONS)]));
    assert.deepEqual(bySource.get('confluent'), expected);
    assert.deepEqual(bySource.get('kafka-python'), expected);
  });

  it('mixed group: our consumer and a confluent-kafka consumer split the partitions and consume each record once', async () => {
    const topic = uniqueName('mixed-confluent');
    await createTopic(broker.bootstrap, topic, 4);
    const group = uniqueName('g');
    let theirAssignment: number[] = [];
    let theirCount = 0;
    const script = `
import os, sys, json
from confluent_kafka import Consumer
def on_assign(c, ps):
    print(json.dumps({'assigned': [p.partition for p in ps]}), flush=True)
c = Consumer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'group.id': os.environ['GROUP'], 'auto.offset.reset': 'earliest',
              'partition.assignment.strategy': 'range', 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 200})
c.subscribe([os.environ['TOPIC']], on_assign=on_assign)
while True:
    m = c.poll(0.2)
    if m is None or m.error(): continue
    print(json.dumps({'value': m.value().decode()}), flush=True)
`;
    const child: ChildProcess = spawn(DEBIAN_PYTHON, ['-c', script], {
      env: { ...process.env, BOOTSTRAP: broker.bootstrap, GROUP: group, TOPIC: topic },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { assigned?: number[]; value?: string };
        if (event.assigned !== undefined) theirAssignment = event.assigned.sort();
        if (event.value !== undefined) theirCount++;
      }
    });
    const ours = new Set<number>();
    const listener: RebalanceListener = {
      onPartitionsAssigned: (ps) => {
        for (const p of ps) ours.add(p.partition);
      },
      onPartitionsRevoked: (ps) => {
        for (const p of ps) ours.delete(p.partition);
      },
    };
    const consumer = new Consumer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'group.id': group,
      'auto.offset.reset': 'earliest',
      'partition.assignment.strategy': 'range',
      'session.timeout.ms': 6000,
      'heartbeat.interval.ms': 200,
      'fetch.max.wait.ms': 100,
      valueDeserializer: 'string',
      rebalanceListener: listener,
    });
    let ourCount = 0;
    try {
      await waitFor(() => theirAssignment.length === 4, 20000, 'confluent-kafka owns all');
      consumer.subscribe([topic]);
      const running = consumer.run({ eachMessage: async () => void ourCount++ });
      await waitFor(() => ours.size === 2 && theirAssignment.length === 2, 20000, 'split between clients');
      assert.deepEqual([...ours, ...theirAssignment].sort(), [0, 1, 2, 3]);
      const producer = newProducer(broker.bootstrap);
      try {
        await producer.sendBatch(Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i}`, value: `v${i}` })));
      } finally {
        await producer.close();
      }
      await waitFor(() => ourCount + theirCount === 40, 15000, 'all records consumed');
      assert.ok(ourCount > 0 && theirCount > 0);
      await consumer.stop();
      await running;
    } finally {
      child.kill('SIGKILL');
      await consumer.close();
    }
  });
});
