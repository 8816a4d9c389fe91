import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Consumer,
  type MemberAssignment,
  type PartitionAssignor,
  type RebalanceListener,
  RoundRobinAssignor,
  type TopicPartition,
} from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { createTopic, newProducer, startBroker, uniqueName, waitFor } from './client-support.js';

/** A group member running `run()` in the background, recording its assignment and records. */
class Member {
  readonly consumer: Consumer<string, string>;
  readonly owned = new Set<number>();
  readonly revoked: number[][] = [];
  readonly assigned: number[][] = [];
  readonly lost: number[][] = [];
  readonly values: string[] = [];
  running: Promise<void> | undefined;
  error: unknown;

  constructor(bootstrap: string, group: string, options: Record<string, unknown> = {}) {
    const listener: RebalanceListener = {
      onPartitionsAssigned: (ps) => {
        this.assigned.push(ps.map((p) => p.partition));
        for (const p of ps) this.owned.add(p.partition);
      },
      onPartitionsRevoked: (ps) => {
        this.revoked.push(ps.map((p) => p.partition));
        for (const p of ps) this.owned.delete(p.partition);
      },
      onPartitionsLost: (ps) => {
        this.lost.push(ps.map((p) => p.partition));
        for (const p of ps) this.owned.delete(p.partition);
      },
    };
    this.consumer = new Consumer<string, string>({
      'bootstrap.servers': bootstrap,
      'group.id': group,
      'auto.offset.reset': 'earliest',
      'session.timeout.ms': 2000,
      'heartbeat.interval.ms': 100,
      'fetch.max.wait.ms': 100,
      'auto.commit.interval.ms': 100,
      keyDeserializer: 'string',
      valueDeserializer: 'string',
      rebalanceListener: listener,
      ...options,
    });
  }

  start(topic: string, handler?: (value: string) => Promise<void>): this {
    this.consumer.subscribe([topic]);
    this.running = this.consumer
      .run({
        eachMessage: async ({ message }) => {
          await handler?.(message.value as string);
          this.values.push(message.value as string);
        },
      })
      .catch((error: unknown) => {
        this.error = error;
      });
    return this;
  }

  partitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    await this.consumer.close();
    await this.running;
  }
}

async function produce(bootstrap: string, topic: string, count: number, prefix = 'v'): Promise<void> {
  const producer = newProducer(bootstrap);
  try {
    await producer.sendBatch(
      Array.from({ length: count }, (_, i) => ({ topic, key: `k${i}`, value: `${prefix}${i}` })),
    );
  } finally {
    await producer.close();
  }
}

describe('consumer groups', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  for (const strategy of ['range', 'roundrobin', 'sticky']) {
    it(`${strategy}: two members split the partitions, and the survivor takes all when one leaves`, async () => {
      const topic = uniqueName(strategy);
      await createTopic(broker.bootstrap, topic, 6);
      const group = uniqueName('g');
      const a = new Member(broker.bootstrap, group, { 'partition.assignment.strategy': strategy }).start(topic);
      await waitFor(() => a.partitions().length === 6, 10000, 'a owns all six');
      const b = new Member(broker.bootstrap, group, { 'partition.assignment.strategy': strategy }).start(topic);
      try {
        await waitFor(() => a.partitions().length === 3 && b.partitions().length === 3, 10000, 'a 3/3 split');
        assert.deepEqual([...a.partitions(), ...b.partitions()].sort(), [0, 1, 2, 3, 4, 5]);
        // Eager protocols revoke everything before rejoining.
        assert.deepEqual(a.revoked[0]?.sort(), [0, 1, 2, 3, 4, 5]);
        await produce(broker.bootstrap, topic, 60);
        await waitFor(() => a.values.length + b.values.length === 60, 10000, 'all records consumed');
        assert.ok(a.values.length > 0 && b.values.length > 0);
        await b.close();
        await waitFor(() => a.partitions().length === 6, 10000, 'a takes over');
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }

  it('a custom assignor: async assign, user data both ways, onAssignment before the listener, enforceRebalance rejoins', async () => {
    const topic = uniqueName('custom');
    await createTopic(broker.bootstrap, topic, 2);
    const heard: { generationId: number; userData: string | null; partitions: number }[] = [];
    const events: string[] = [];
    const assignor: PartitionAssignor = {
      name: 'everything-to-the-first',
      protocol: 'EAGER',
      subscriptionUserData: () => Buffer.from('hello leader'),
      // Async, as Kafka Streams' assignor is (it lists changelog end offsets first).
      assign: async (partitionsPerTopic, subscriptions) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const out = new Map<string, MemberAssignment>();
        for (const [memberId, sub] of subscriptions) {
          const partitions = Array.from({ length: partitionsPerTopic.get(topic) ?? 0 }, (_, partition) => ({
            topic,
            partition,
          }));
          out.set(memberId, { partitions, userData: Buffer.from(`you said ${sub.userData?.toString()}`) });
        }
        return out;
      },
      onAssignment: (assignment, generationId) => {
        events.push('onAssignment');
        heard.push({
          generationId,
          userData: assignment.userData?.toString() ?? null,
          partitions: assignment.partitions.length,
        });
      },
    };
    const member = new Member(broker.bootstrap, uniqueName('g'), {
      'partition.assignment.strategy': [assignor],
      rebalanceListener: {
        onPartitionsAssigned: () => {
          events.push('assigned');
        },
      },
    }).start(topic);
    try {
      await waitFor(() => heard.length === 1 && events.includes('assigned'), 10000, 'first assignment');
      assert.deepEqual(heard[0]?.userData, 'you said hello leader');
      assert.equal(heard[0]?.partitions, 2);
      assert.deepEqual(events, ['onAssignment', 'assigned']);
      const first = heard[0]?.generationId as number;
      member.consumer.enforceRebalance('probing');
      await waitFor(() => heard.length === 2, 10000, 'a second assignment after enforceRebalance');
      assert.equal(heard[1]?.generationId, first + 1, 'a new generation');
      assert.equal(member.error, undefined);
    } finally {
      await member.close();
    }
  });

  it('cooperative-sticky: a member joining moves only its share; the others keep consuming theirs', async () => {
    const topic = uniqueName('coop');
    await createTopic(broker.bootstrap, topic, 6);
    const group = uniqueName('g');
    const options = { 'partition.assignment.strategy': 'cooperative-sticky' };
    const a = new Member(broker.bootstrap, group, options).start(topic);
    await waitFor(() => a.partitions().length === 6, 10000, 'a owns all six');
    const generationBefore = a.consumer.membership.generationId;
    const b = new Member(broker.bootstrap, group, options).start(topic);
    try {
      await waitFor(() => a.partitions().length === 3 && b.partitions().length === 3, 15000, 'a 3/3 split');
      // a gave up exactly what b took, and nothing else: no stop-the-world revocation.
      assert.equal(a.revoked.length, 1);
      assert.deepEqual(a.revoked[0]?.sort(), b.partitions());
      assert.ok(a.lost.length === 0);
      // Two rebalances: the first revokes from a, the follow-up assigns to b.
      assert.ok(a.consumer.membership.generationId >= generationBefore + 2);
      assert.equal(a.consumer.membership.protocol, 'cooperative-sticky');
      await produce(broker.bootstrap, topic, 60);
      await waitFor(() => a.values.length + b.values.length === 60, 10000, 'all records consumed');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('cooperative-sticky: members keep consuming owned partitions while a rebalance waits for a slow member', async () => {
    const topic = uniqueName('coop-nostw');
    await createTopic(broker.bootstrap, topic, 4);
    const group = uniqueName('g');
    const options = { 'partition.assignment.strategy': 'cooperative-sticky' };
    const a = new Member(broker.bootstrap, group, options).start(topic);
    await waitFor(() => a.partitions().length === 4, 10000, 'a owns all four');
    let slowDoneAt = 0;
    const slow = new Member(broker.bootstrap, group, options).start(topic, async (value) => {
      if (value === 'block') {
        await new Promise((r) => setTimeout(r, 3000));
        slowDoneAt = Date.now();
      }
    });
    let c: Member | undefined;
    const producer = newProducer(broker.bootstrap);
    try {
      await waitFor(() => a.partitions().length === 2 && slow.partitions().length === 2, 15000, 'a 2/2 split');
      // `slow` starts a 3 s handler; while it is stuck, `c` joins and the rebalance waits for `slow`.
      await producer.send({ topic, partition: slow.partitions()[0] as number, value: 'block' });
      await new Promise((r) => setTimeout(r, 200));
      c = new Member(broker.bootstrap, group, options).start(topic);
      await new Promise((r) => setTimeout(r, 500));
      const received: number[] = [];
      const before = a.values.length;
      await producer.sendBatch(
        (a.partitions() as number[]).map((partition) => ({ topic, partition, value: `during-${partition}` })),
      );
      await waitFor(() => a.values.length >= before + 2, 10000, 'a consumes during the rebalance');
      received.push(Date.now());
      assert.ok(slowDoneAt === 0, 'a got its records while the rebalance was still waiting for slow');
      await waitFor(() => [a, slow, c as Member].every((m) => m.partitions().length >= 1), 20000, 'c gets partitions');
      assert.equal(a.lost.length, 0);
    } finally {
      await producer.close();
      await Promise.all([a.close(), slow.close(), c?.close()]);
    }
  });

  for (const strategy of ['range', 'cooperative-sticky']) {
    it(`${strategy}: under membership churn no partition is ever owned by two members, and all end up owned`, async () => {
      const topic = uniqueName(`churn-${strategy}`);
      await createTopic(broker.bootstrap, topic, 6);
      const group = uniqueName('g');
      const options = { 'partition.assignment.strategy': strategy };
      const members: Member[] = [];
      const live = new Set<Member>();
      let violation = '';
      const sampler = setInterval(() => {
        const seen = new Map<number, number>();
        for (const m of live) for (const p of m.owned) seen.set(p, (seen.get(p) ?? 0) + 1);
        for (const [p, n] of seen) if (n > 1 && violation === '') violation = `partition ${p} owned by ${n} members`;
      }, 5);
      const join = () => {
        const m = new Member(broker.bootstrap, group, options).start(topic);
        members.push(m);
        live.add(m);
        return m;
      };
      const leave = async (m: Member) => {
        await m.close();
        live.delete(m);
      };
      try {
        const a = join();
        await waitFor(() => a.partitions().length === 6, 10000, 'a owns all');
        const b = join();
        await new Promise((r) => setTimeout(r, 150));
        const c = join();
        await waitFor(() => [a, b, c].every((m) => m.partitions().length === 2), 20000, 'three-way split');
        await leave(b);
        const d = join();
        await new Promise((r) => setTimeout(r, 100));
        await leave(a);
        await waitFor(() => c.partitions().length === 3 && d.partitions().length === 3, 20000, 'c and d share all six');
        assert.equal(violation, '');
        assert.deepEqual([...c.partitions(), ...d.partitions()].sort(), [0, 1, 2, 3, 4, 5]);
      } finally {
        clearInterval(sampler);
        await Promise.all(members.map((m) => m.close()));
      }
    });
  }

  it('static membership: a restarted member with the same group.instance.id gets its partitions back without a rebalance', async () => {
    const topic = uniqueName('static');
    await createTopic(broker.bootstrap, topic, 4);
    const group = uniqueName('g');
    const a = new Member(broker.bootstrap, group, {
      'group.instance.id': 'instance-a',
      'session.timeout.ms': 5000,
    }).start(topic);
    const b = new Member(broker.bootstrap, group, {
      'group.instance.id': 'instance-b',
      'session.timeout.ms': 5000,
    }).start(topic);
    let a2: Member | undefined;
    try {
      await waitFor(() => a.partitions().length === 2 && b.partitions().length === 2, 15000, 'a 2/2 split');
      const before = a.partitions();
      const generation = b.consumer.membership.generationId;
      await a.close();
      // Static members do not send LeaveGroup: b keeps its partitions and generation.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(b.consumer.membership.generationId, generation);
      a2 = new Member(broker.bootstrap, group, { 'group.instance.id': 'instance-a', 'session.timeout.ms': 5000 }).start(
        topic,
      );
      await waitFor(() => a2?.partitions().length === 2, 10000, 'a2 assigned');
      assert.deepEqual(a2.partitions(), before);
      assert.deepEqual(b.partitions().length, 2);
      assert.equal(b.revoked.length, 0, 'b never rebalanced');
    } finally {
      await Promise.all([a.close(), b.close(), a2?.close()]);
    }
  });

  it('heartbeats continue while a handler works longer than the session timeout', async () => {
    const topic = uniqueName('slow');
    await produce(broker.bootstrap, topic, 2);
    const group = uniqueName('g');
    const a = new Member(broker.bootstrap, group, { 'session.timeout.ms': 1000, 'max.poll.interval.ms': 20000 }).start(
      topic,
      async () => {
        await new Promise((r) => setTimeout(r, 1500));
      },
    );
    try {
      await waitFor(() => a.values.length === 2, 15000, 'both records handled');
      assert.equal(a.lost.length, 0);
      assert.equal(a.revoked.length, 0);
      assert.equal(a.assigned.length, 1, 'one assignment: no rebalance happened');
    } finally {
      await a.close();
    }
  });

  it('a handler slower than max.poll.interval.ms makes the member leave; another takes over', async () => {
    const topic = uniqueName('pollinterval');
    await createTopic(broker.bootstrap, topic, 2);
    const group = uniqueName('g');
    let block = true;
    const slow = new Member(broker.bootstrap, group, {
      'max.poll.interval.ms': 1000,
      'partition.assignment.strategy': 'roundrobin',
    }).start(topic, async (value) => {
      if (value.startsWith('slow') && block) {
        block = false;
        await new Promise((r) => setTimeout(r, 2500));
      }
    });
    await waitFor(() => slow.partitions().length === 2, 10000, 'slow owns both');
    const other = new Member(broker.bootstrap, group, { 'partition.assignment.strategy': 'roundrobin' }).start(topic);
    try {
      await waitFor(() => slow.partitions().length === 1 && other.partitions().length === 1, 10000, 'split');
      // One record per partition: whichever partition `slow` owns brings it a slow record.
      const producer = newProducer(broker.bootstrap);
      await producer.sendBatch([0, 1].map((partition) => ({ topic, partition, value: `slow${partition}` })));
      await producer.close();
      // While `slow` is stuck, it leaves the group and `other` gets both partitions.
      await waitFor(() => other.partitions().length === 2, 10000, 'other takes both');
      // Back from the handler, `slow` finds its partitions lost and rejoins.
      await waitFor(() => slow.lost.length === 1, 10000, 'partitions lost');
      await waitFor(() => slow.partitions().length === 1 && other.partitions().length === 1, 15000, 'rejoined');
    } finally {
      await Promise.all([slow.close(), other.close()]);
    }
  });

  it('kill -9 of a member process: its partitions move after the session timeout', async () => {
    const topic = uniqueName('kill');
    await createTopic(broker.bootstrap, topic, 4);
    const group = uniqueName('g');
    const dir = mkdtempSync(join(tmpdir(), 'samsa-member-'));
    const clientEntry = createRequire(import.meta.url).resolve('@samsa/client');
    const script = join(dir, 'member.mjs');
    writeFileSync(
      script,
      `import { Consumer } from ${JSON.stringify(clientEntry)};
const c = new Consumer({ 'bootstrap.servers': process.argv[2], 'group.id': process.argv[3], 'session.timeout.ms': 1500, 'heartbeat.interval.ms': 100,
  rebalanceListener: { onPartitionsAssigned: (ps) => console.log(JSON.stringify({ assigned: ps.map((p) => p.partition) })) } });
c.subscribe([process.argv[4]]);
c.run({ eachMessage: async () => {} });
`,
    );
    const child = spawn(process.execPath, [script, broker.bootstrap, group, topic], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let childAssigned: number[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n'))
        if (line.startsWith('{')) childAssigned = (JSON.parse(line) as { assigned: number[] }).assigned;
    });
    const survivor = new Member(broker.bootstrap, group);
    try {
      await waitFor(() => childAssigned.length === 4, 15000, 'child owns all four');
      survivor.start(topic);
      await waitFor(() => survivor.partitions().length === 2, 15000, 'split with the child');
      child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitFor(() => survivor.partitions().length === 4, 15000, 'survivor takes all four');
      const tookMs = Date.now() - killedAt;
      assert.ok(tookMs >= 1000, `moved after ${tookMs} ms: not before the session timeout`);
    } finally {
      child.kill('SIGKILL');
      await survivor.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mixed group: our consumer and a KafkaJS consumer share the partitions', async () => {
    const topic = uniqueName('mixed-kafkajs');
    await createTopic(broker.bootstrap, topic, 4);
    const group = uniqueName('g');
    const require = createRequire(import.meta.url);
    const { Kafka, logLevel } = require('kafkajs') as typeof import('kafkajs');
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'kafkajs-member' });
    const theirs = kafka.consumer({
      groupId: group,
      sessionTimeout: 6000,
      heartbeatInterval: 200,
      rebalanceTimeout: 10000,
    });
    let theirAssignment: number[] = [];
    const theirValues: string[] = [];
    theirs.on(theirs.events.GROUP_JOIN, (e) => {
      theirAssignment = (e.payload.memberAssignment[topic] ?? []).slice().sort();
    });
    // KafkaJS's round-robin protocol is named RoundRobinAssigner; ours joins under that name.
    const ours = new Member(broker.bootstrap, group, {
      partitionAssignmentStrategy: [new RoundRobinAssignor('RoundRobinAssigner')],
      'session.timeout.ms': 6000,
    });
    try {
      await theirs.connect();
      await theirs.subscribe({ topic, fromBeginning: true });
      await theirs.run({ eachMessage: async ({ message }) => void theirValues.push(message.value?.toString() ?? '') });
      await waitFor(() => theirAssignment.length === 4, 20000, 'KafkaJS owns all');
      ours.start(topic);
      await waitFor(
        () => ours.partitions().length === 2 && theirAssignment.length === 2,
        20000,
        'split between clients',
      );
      assert.deepEqual([...ours.partitions(), ...theirAssignment].sort(), [0, 1, 2, 3]);
      await produce(broker.bootstrap, topic, 40);
      await waitFor(() => ours.values.length + theirValues.length === 40, 15000, 'all records consumed once');
      assert.equal(new Set([...ours.values, ...theirValues]).size, 40);
    } finally {
      await ours.close();
      await theirs.disconnect();
    }
  });
});

export type { TopicPartition };
