/**
 * Committed offsets survive broker restarts: with each client, consume and commit part of a
 * topic, restart the broker cleanly and then with kill -9, and resume exactly where the group
 * committed.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';
import kafkajs from 'kafkajs';
import { FIXTURES, MemberProcess } from '../support/member-process.js';

const KCAT = requireCommand('kcat', 'kcat');
const CONFLUENT = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
const KAFKA_PYTHON = requirePythonModule('kafka', 'python3-kafka');

/** Consumes `count` messages in `group` and commits them; returns their offsets. */
type Consume = (bootstrap: string, topic: string, group: string, count: number) => Promise<number[]>;

async function scriptMember(
  python: string,
  script: string,
  bootstrap: string,
  topic: string,
  group: string,
  count: number,
): Promise<number[]> {
  const m = MemberProcess.spawn(script, python, [join(FIXTURES, script)], {
    BOOTSTRAP: bootstrap,
    GROUP: group,
    TOPIC: topic,
    MAX_MESSAGES: String(count),
  });
  const code = await m.exited;
  assert.equal(code, 0, m.logs);
  assert.ok(m.count('commit-error') === 0, m.logs);
  return m.messages().map((x) => x.o);
}

const clients: Record<string, Consume> = {
  'confluent-kafka': (b, t, g, n) => scriptMember(CONFLUENT, 'confluent_member.py', b, t, g, n),
  'kafka-python': (b, t, g, n) => scriptMember(KAFKA_PYTHON, 'kafka_python_member.py', b, t, g, n),
  kcat: async (b, t, g, n) => {
    // kcat's balanced consumer auto-commits and commits what it consumed when it closes.
    const r = await run(
      KCAT,
      ['-b', b, '-G', g, t, '-c', String(n), '-f', '%o\n', '-X', 'auto.offset.reset=earliest'],
      {
        timeoutMs: 60000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').map(Number);
  },
  KafkaJS: async (b, t, g, n) => {
    const kafka = new kafkajs.Kafka({ clientId: 'resume', brokers: [b], logLevel: kafkajs.logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: g, sessionTimeout: 10000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: t, fromBeginning: true });
    const offsets: number[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (offsets.length >= n) return;
            offsets.push(Number(message.offset));
            await consumer.commitOffsets([{ topic: t, partition, offset: String(Number(message.offset) + 1) }]);
            if (offsets.length === n) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return offsets;
  },
};

describe('committed offsets survive restarts', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    dataDir = broker.dataDir;
  });
  after(async () => {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [name, consume] of Object.entries(clients)) {
    test(`${name}: resume from the committed offset after a clean restart and after kill -9`, async () => {
      const topic = `resume-${name}`;
      const group = `g-resume-${name}`;
      const input = `${Array.from({ length: 100 }, (_, i) => `m${i}`).join('\n')}\n`;
      const produced = await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic], { input });
      assert.equal(produced.code, 0, produced.stderr);

      assert.deepEqual(
        await consume(broker.bootstrap, topic, group, 40),
        Array.from({ length: 40 }, (_, i) => i),
      );

      assert.equal(await broker.stop(), 0);
      broker = await BrokerProcess.start({ dataDir, port: broker.port });
      assert.deepEqual(
        await consume(broker.bootstrap, topic, group, 30),
        Array.from({ length: 30 }, (_, i) => 40 + i),
      );

      await broker.kill();
      broker = await BrokerProcess.start({ dataDir, port: broker.port });
      assert.deepEqual(
        await consume(broker.bootstrap, topic, group, 10),
        Array.from({ length: 10 }, (_, i) => 70 + i),
      );
    });
  }
});
