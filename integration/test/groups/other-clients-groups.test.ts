/**
 * Consumer groups with kcat's balanced consumer (`kcat -G`), kafka-python and KafkaJS: three
 * members over six partitions each get two.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';
import kafkajs from 'kafkajs';
import { balanced, describeAssignments, FIXTURES, MemberProcess, waitUntil } from '../support/member-process.js';

const KCAT = requireCommand('kcat', 'kcat');
const PYTHON = requirePythonModule('kafka', 'python3-kafka');

/** kcat -G reports "% Group g rebalanced (memberid …): assigned: t [0], t [3]" on stderr. */
class KcatMember {
  assignment: number[] = [];
  private stderr = '';
  readonly process: MemberProcess;
  constructor(bootstrap: string, group: string, topic: string) {
    this.process = MemberProcess.spawn(`kcat-${Math.random()}`, KCAT, ['-b', bootstrap, '-G', group, topic], {});
    this.process.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
      const lines = this.stderr.split('\n');
      for (const line of lines) {
        const assigned = /rebalanced \(memberid [^)]*\): assigned: (.*)$/.exec(line);
        if (assigned !== null) {
          this.assignment = [...(assigned[1] as string).matchAll(/\[(\d+)\]/g)]
            .map((m) => Number(m[1]))
            .sort((a, b) => a - b);
        }
        if (/rebalanced \(memberid [^)]*\): revoked:/.test(line)) this.assignment = [];
      }
    });
  }
}

describe('consumer groups: kcat, kafka-python, KafkaJS', () => {
  let broker: BrokerProcess;
  const cleanups: (() => Promise<void>)[] = [];
  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 6, 'group.min.session.timeout.ms': 1000 } });
  });
  after(async () => {
    for (const c of cleanups) await c();
    await broker?.close();
  });

  async function produce(topic: string, count: number): Promise<void> {
    const lines = Array.from({ length: count }, (_, i) => `k${i}:v${i}`).join('\n');
    const r = await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':'], { input: `${lines}\n` });
    assert.equal(r.code, 0, r.stderr);
  }

  test('kcat balanced consumers: three members, two partitions each', async () => {
    await produce('kcat-group', 60);
    const members = [1, 2, 3].map(() => new KcatMember(broker.bootstrap, 'g-kcat', 'kcat-group'));
    cleanups.push(async () => {
      for (const m of members) await m.process.kill();
    });
    await waitUntil(
      () => {
        const all = members.flatMap((m) => m.assignment);
        return all.length === 6 && new Set(all).size === 6 && members.every((m) => m.assignment.length === 2);
      },
      30000,
      () => members.map((m) => `[${m.assignment.join(',')}]`).join(' '),
    );
    for (const m of members) await m.process.stop();
  });

  test('kafka-python members: three members, two partitions each, all messages consumed once', async () => {
    await produce('py-group', 60);
    const members = [1, 2, 3].map((i) =>
      MemberProcess.spawn(`py${i}`, PYTHON, [join(FIXTURES, 'kafka_python_member.py')], {
        BOOTSTRAP: broker.bootstrap,
        GROUP: 'g-py',
        TOPIC: 'py-group',
      }),
    );
    cleanups.push(async () => {
      for (const m of members) await m.kill();
    });
    await waitUntil(
      () => balanced(members, 6) && members.every((m) => m.assignment.length === 2),
      40000,
      () => describeAssignments(members),
    );
    await waitUntil(
      () => new Set(members.flatMap((m) => m.messages().map((x) => `${x.p}:${x.o}`))).size === 60,
      30000,
      () => 'all 60 messages',
    );
    for (const m of members) await m.stop();
  });

  test('KafkaJS members: three members, two partitions each', async () => {
    await produce('kjs-group', 60);
    const kafka = new kafkajs.Kafka({
      clientId: 'kjs',
      brokers: [broker.bootstrap],
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const assignments = new Map<number, number[]>();
    const consumers = [0, 1, 2].map((i) => {
      const consumer = kafka.consumer({ groupId: 'g-kjs', sessionTimeout: 10000, heartbeatInterval: 500 });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignments.set(
          i,
          [...(e.payload.memberAssignment['kjs-group'] ?? [])].sort((a, b) => a - b),
        );
      });
      return consumer;
    });
    cleanups.push(async () => {
      for (const c of consumers) await c.disconnect().catch(() => {});
    });
    const seen = new Set<string>();
    for (const consumer of consumers) {
      await consumer.connect();
      await consumer.subscribe({ topic: 'kjs-group', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          seen.add(`${partition}:${message.offset}`);
        },
      });
    }
    await waitUntil(
      () => {
        const all = [...assignments.values()].flat();
        return (
          assignments.size === 3 &&
          all.length === 6 &&
          new Set(all).size === 6 &&
          [...assignments.values()].every((a) => a.length === 2)
        );
      },
      40000,
      () => JSON.stringify([...assignments.entries()]),
    );
    await waitUntil(
      () => seen.size === 60,
      30000,
      () => `${seen.size} of 60 messages`,
    );
    for (const c of consumers) await c.disconnect();
  });
});
