/**
 * Fetch sessions (KIP-227) with real clients, seen through a proxy that decodes every Fetch
 * request and response (the broker advertises the proxy, so clients come back through it):
 *
 * - Samsa's consumer opens a session and then sends incremental fetches (epochs 1, 2, …) naming
 *   only the partitions that moved, and gets only the partitions with something new; partitions
 *   with buffered data stay in the session, fetched ahead from the end of that data;
 * - @platformatic/kafka asks for a new session at every fetch (epoch 0), and gets one;
 * - librdkafka (kcat, confluent-kafka) and kafka-python 2.0.2 never use sessions (sessionId 0 and
 *   epoch -1, or Fetch v4 without the fields) and are answered without one.
 *
 * Every client consumes every record, in order per partition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MessagesStreamModes, Consumer as PlatformaticConsumer, stringDeserializers } from '@platformatic/kafka';
import { Consumer } from '@samsa/client';
import { BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';
import { createTopic, newProducer } from '../client/client-support.js';
import { FetchSpy, type SeenFetch } from '../support/fetch-spy.js';

const KCAT = requireCommand('kcat', 'kcat');
const PYTHON = requirePythonModule('kafka', 'python3-kafka');
requirePythonModule('confluent_kafka', 'python3-confluent-kafka');

const TOPIC = 'sessions';
const PARTITIONS = 4;
const RECORDS = 200;
const expected = Array.from({ length: RECORDS }, (_, i) => `v${i}`);

describe('fetch sessions with real clients', () => {
  let spy: FetchSpy;
  let broker: BrokerProcess;

  before(async () => {
    spy = await FetchSpy.listen();
    broker = await BrokerProcess.start({
      properties: { 'num.partitions': PARTITIONS, 'advertised.listeners': `PLAINTEXT://127.0.0.1:${spy.port}` },
    });
    spy.forwardTo(broker.port);
    await createTopic(broker.bootstrap, TOPIC, PARTITIONS);
    await produce(0, RECORDS);
  });
  after(async () => {
    await broker?.close();
    await spy?.close();
  });

  async function produce(from: number, to: number): Promise<void> {
    const producer = newProducer(`127.0.0.1:${spy.port}`);
    try {
      await Promise.all(
        Array.from({ length: to - from }, (_, i) =>
          producer.send({ topic: TOPIC, partition: (from + i) % PARTITIONS, value: `v${from + i}` }),
        ),
      );
    } finally {
      await producer.close();
    }
  }

  const fetchesOf = (clientId: string): SeenFetch[] => spy.fetches.filter((f) => f.clientId === clientId);

  function assertSessionless(clientId: string): void {
    const fetches = fetchesOf(clientId);
    assert.ok(fetches.length > 0, `${clientId} fetched through the spy`);
    for (const f of fetches) {
      assert.equal(f.sessionId, 0);
      assert.equal(f.sessionEpoch, -1);
      if (f.response !== undefined) assert.equal(f.response.sessionId, 0);
    }
  }

  test("Samsa's consumer: a session, then incremental fetches of only what changed", async () => {
    const consumer = new Consumer<string, string>({
      'bootstrap.servers': `127.0.0.1:${spy.port}`,
      'client.id': 'samsa-sessions',
      'auto.offset.reset': 'earliest',
      'fetch.max.wait.ms': 200,
      'max.poll.records': 7,
      valueDeserializer: 'string',
    });
    const got: string[] = [];
    let initialFetches = 0;
    try {
      consumer.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition })));
      const readUntil = async (count: number) => {
        const deadline = Date.now() + 20000;
        while (got.length < count) {
          assert.ok(Date.now() < deadline, `read ${got.length} of ${count}`);
          for (const r of await consumer.poll({ timeoutMs: 300 })) got.push(r.value as string);
        }
      };
      await readUntil(RECORDS);
      initialFetches = fetchesOf('samsa-sessions').length;
      // Idle incremental fetches, then records arriving on one partition only.
      await consumer.poll({ timeoutMs: 1000 });
      const more = newProducer(`127.0.0.1:${spy.port}`);
      for (let i = 0; i < 5; i++) await more.send({ topic: TOPIC, partition: 2, value: `late${i}` });
      await more.close();
      await readUntil(RECORDS + 5);
    } finally {
      await consumer.close();
    }
    assert.deepEqual(got.slice(0, RECORDS).sort(), [...expected].sort());
    assert.deepEqual(got.slice(RECORDS), ['late0', 'late1', 'late2', 'late3', 'late4']);

    const fetches = fetchesOf('samsa-sessions').filter((f) => f.response !== undefined);
    const first = fetches[0];
    assert.ok(first);
    assert.deepEqual([first.sessionId, first.sessionEpoch], [0, 0], 'the first fetch asks for a session');
    const sessionId = first.response?.sessionId ?? 0;
    assert.ok(sessionId > 0, 'the broker gave the consumer a session');
    const incremental = fetches.filter((f) => f.sessionEpoch > 0);
    assert.ok(incremental.length >= 5, `incremental fetches: ${incremental.length} of ${fetches.length}`);
    for (const f of incremental) {
      assert.equal(f.sessionId, sessionId);
      assert.equal(f.response?.errorCode, 0);
      assert.equal(f.response?.sessionId, sessionId);
    }
    assert.deepEqual(
      incremental.map((f) => f.sessionEpoch),
      incremental.map((_, i) => i + 1),
      'epochs count up from 1',
    );
    assert.ok(
      incremental.some((f) => f.requestPartitions === 0),
      'an idle incremental fetch names no partition at all',
    );
    assert.ok(
      incremental.some((f) => (f.response?.partitions ?? 0) === 1),
      'an answer carries only the partition with new records',
    );
    // Each partition's 50 records come in one response and are polled 7 at a time; meanwhile the
    // consumer fetches the partition again from the end of that response (a pre-fetch, which
    // finds nothing new here), so no partition ever leaves the session. (Java's consumer drops
    // partitions with buffered data from its fetches, and so from the session, until they are
    // consumed.)
    const whileReading = fetchesOf('samsa-sessions').slice(0, initialFetches);
    assert.ok(whileReading.length >= 2, `fetches while reading: ${whileReading.length}`);
    assert.deepEqual(
      whileReading.map((f) => f.forgottenPartitions),
      whileReading.map(() => 0),
      'partitions with buffered data stay in the session',
    );
    assert.equal(whileReading[1]?.requestPartitions, PARTITIONS, 'the second fetch moves all four ahead at once');
  });

  test('@platformatic/kafka asks for a new session at each fetch (epoch 0) and gets one', async () => {
    const consumer = new PlatformaticConsumer({
      groupId: 'plt-sessions',
      clientId: 'plt-sessions',
      bootstrapBrokers: [`127.0.0.1:${spy.port}`],
      deserializers: stringDeserializers,
    });
    const got: string[] = [];
    const stream = await consumer.consume({
      topics: [TOPIC],
      mode: MessagesStreamModes.EARLIEST,
      sessionTimeout: 10000,
      heartbeatInterval: 500,
    });
    for await (const m of stream) {
      if ((m.value as string).startsWith('v')) got.push(m.value as string);
      if (got.length === RECORDS) break;
    }
    await stream.close();
    await consumer.close();
    assert.deepEqual(got.sort(), [...expected].sort());
    const fetches = fetchesOf('plt-sessions').filter((f) => f.response !== undefined);
    assert.ok(fetches.length > 0);
    for (const f of fetches) {
      assert.deepEqual([f.sessionId, f.sessionEpoch], [0, 0]);
      assert.equal(f.response?.errorCode, 0);
      assert.ok((f.response?.sessionId ?? 0) > 0, 'a session was created for it');
    }
  });

  test('kcat (librdkafka) fetches without a session and reads everything', async () => {
    const result = await run(
      KCAT,
      [
        '-b',
        `127.0.0.1:${spy.port}`,
        '-C',
        '-t',
        TOPIC,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%s\n',
        '-X',
        'client.id=kcat-sessions',
      ],
      { timeoutMs: 30000 },
    );
    assert.equal(result.code, 0, result.stderr);
    const values = result.stdout
      .trim()
      .split('\n')
      .filter((v) => v.startsWith('v'));
    assert.deepEqual(values.sort(), [...expected].sort());
    assertSessionless('kcat-sessions');
  });

  test('confluent-kafka (librdkafka) fetches without a session and reads everything', async () => {
    const script = `
import os
from confluent_kafka import Consumer, TopicPartition
c = Consumer({'bootstrap.servers': os.environ['BOOTSTRAP'], 'group.id': 'ck-sessions', 'client.id': 'ck-sessions',
              'enable.auto.commit': False})
c.assign([TopicPartition('${TOPIC}', p, 0) for p in range(${PARTITIONS})])
got = []
while len([v for v in got if v.startswith('v')]) < ${RECORDS}:
    m = c.poll(10)
    if m is None:
        break
    if m.error() is None:
        got.append(m.value().decode())
c.close()
print('\\n'.join(got))
`;
    const result = await run(PYTHON, ['-c', script], {
      env: { ...process.env, BOOTSTRAP: `127.0.0.1:${spy.port}` },
      timeoutMs: 60000,
    });
    assert.equal(result.code, 0, result.stderr);
    const values = result.stdout
      .trim()
      .split('\n')
      .filter((v) => v.startsWith('v'));
    assert.deepEqual(values.sort(), [...expected].sort());
    assertSessionless('ck-sessions');
  });

  test('kafka-python 2.0.2 fetches with v4 (no session fields) and reads everything', async () => {
    const script = `
import os
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=os.environ['BOOTSTRAP'], client_id='py-sessions', consumer_timeout_ms=5000)
c.assign([TopicPartition('${TOPIC}', p) for p in range(${PARTITIONS})])
c.seek_to_beginning()
got = []
for m in c:
    got.append(m.value.decode())
    if len([v for v in got if v.startswith('v')]) == ${RECORDS}:
        break
c.close()
print('\\n'.join(got))
`;
    const result = await run(PYTHON, ['-c', script], {
      env: { ...process.env, BOOTSTRAP: `127.0.0.1:${spy.port}` },
      timeoutMs: 60000,
    });
    assert.equal(result.code, 0, result.stderr);
    const values = result.stdout
      .trim()
      .split('\n')
      .filter((v) => v.startsWith('v'));
    assert.deepEqual(values.sort(), [...expected].sort());
    const fetches = fetchesOf('py-sessions');
    assert.ok(fetches.length > 0);
    for (const f of fetches) assert.ok(f.version < 7, `Fetch v${f.version}`);
    assertSessionless('py-sessions');
  });
});
