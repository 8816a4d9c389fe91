/**
 * Consumer groups with real clients in their own processes: balanced assignment, a member killed
 * without leaving (session expiry), and a graceful leave (immediate rebalance) with
 * confluent-kafka (librdkafka 2.0.2), kafka-python 2.0.2 and KafkaJS 2.2.4; cooperative-sticky
 * incremental rebalancing and static membership (restart without rebalance) with confluent-kafka,
 * the client in the matrix that implements them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';
import { balanced, describeAssignments, FIXTURES, MemberProcess, waitUntil } from '../support/member-process.js';

const PYTHON = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
const KAFKA_PYTHON = requirePythonModule('kafka', 'python3-kafka');
const KCAT = requireCommand('kcat', 'kcat');
const MEMBER = join(FIXTURES, 'confluent_member.py');

/** How each client's member process is started (all print the same JSON events). */
const CLIENTS: Record<string, { command: string; args: string[] }> = {
  'confluent-kafka': { command: PYTHON, args: [MEMBER] },
  'kafka-python': { command: KAFKA_PYTHON, args: [join(FIXTURES, 'kafka_python_member.py')] },
  KafkaJS: { command: process.execPath, args: [join(FIXTURES, 'kafkajs_member.mjs')] },
};

describe('consumer group membership with real clients', () => {
  let broker: BrokerProcess;
  const members: MemberProcess[] = [];

  before(async () => {
    broker = await BrokerProcess.start({
      properties: { 'num.partitions': 6, 'group.min.session.timeout.ms': 1000 },
    });
  });
  after(async () => {
    for (const m of members) await m.kill();
    await broker?.close();
  });

  function member(name: string, env: Record<string, string>, client = 'confluent-kafka'): MemberProcess {
    const { command, args } = CLIENTS[client] as { command: string; args: string[] };
    const m = MemberProcess.spawn(
      name,
      command,
      args,
      { BOOTSTRAP: broker.bootstrap, ...env },
      env.STRATEGY === 'cooperative-sticky',
    );
    members.push(m);
    return m;
  }

  async function produce(topic: string, count: number): Promise<void> {
    const lines = Array.from({ length: count }, (_, i) => `k${i}:v${i}`).join('\n');
    const r = await run(KCAT, ['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':'], {
      input: `${lines}\n`,
      timeoutMs: 30000,
    });
    assert.equal(r.code, 0, r.stderr);
  }

  /** Waits until `group` is balanced over 6 partitions and no member event arrived for `quietMs`. */
  async function settle(group: readonly MemberProcess[], timeoutMs = 30000, quietMs = 1500): Promise<void> {
    let lastChange = Date.now();
    let lastCount = -1;
    await waitUntil(
      () => {
        const count = group.reduce((n, m) => n + m.count('assign') + m.count('revoke'), 0);
        if (count !== lastCount) {
          lastCount = count;
          lastChange = Date.now();
        }
        return balanced(group, 6) && Date.now() - lastChange >= quietMs;
      },
      timeoutMs,
      () => describeAssignments(group),
    );
  }

  for (const strategy of ['range', 'roundrobin']) {
    test(`three members over six partitions get two each (${strategy})`, async () => {
      const topic = `balanced-${strategy}`;
      await produce(topic, 60);
      const group = [1, 2, 3].map((i) =>
        member(`m${i}`, { GROUP: `g-balanced-${strategy}`, TOPIC: topic, STRATEGY: strategy }),
      );
      await settle(group);
      for (const m of group) assert.equal(m.assignment.length, 2, describeAssignments(group));
      await waitUntil(
        () => group.reduce((n, m) => n + m.messages().length, 0) >= 60,
        20000,
        () => 'all 60 messages',
      );
      for (const m of group) await m.stop();
    });
  }

  for (const client of Object.keys(CLIENTS)) {
    test(`${client}: a member killed without leaving loses its partitions after the session timeout; nothing committed is redelivered`, async () => {
      const topic = `killed-member-${client}`;
      await produce(topic, 600);
      const env = {
        GROUP: `g-killed-${client}`,
        TOPIC: topic,
        SESSION_MS: '3000',
        HEARTBEAT_MS: '300',
        PROCESS_DELAY_S: '0.01',
      };
      const group = [1, 2, 3].map((i) => member(`k${i}`, env, client));
      await settle(group);
      await waitUntil(
        () => group.every((m) => m.messages().length >= 10),
        20000,
        () => 'each member processing',
      );
      const victim = group[0] as MemberProcess;
      const lost = victim.assignment;
      await victim.kill();
      const killedAt = Date.now();
      const survivors = group.slice(1);
      await waitUntil(
        () => lost.every((p) => survivors.some((m) => m.assignment.includes(p))),
        20000,
        () => describeAssignments(survivors),
      );
      const movedAfterMs = Date.now() - killedAt;
      // Not before the session timeout expired (allowing for heartbeat timing on both sides).
      assert.ok(movedAfterMs >= 2000, `partitions moved after ${movedAfterMs} ms, before the 3000 ms session timeout`);
      await waitUntil(
        () => new Set(group.flatMap((m) => m.messages().map((x) => `${x.p}:${x.o}`))).size >= 600,
        60000,
        () => 'all 600 messages consumed',
      );
      const committed = victim.commits();
      const seen = new Map<string, number>();
      for (const m of group)
        for (const x of m.messages()) seen.set(`${x.p}:${x.o}`, (seen.get(`${x.p}:${x.o}`) ?? 0) + 1);
      for (const [key, times] of seen) {
        if (times === 1) continue;
        const [p, o] = key.split(':').map(Number) as [number, number];
        // At-least-once: only what the dead member processed but had not committed may come again.
        assert.ok(
          lost.includes(p) && o >= (committed.get(p) ?? 0),
          `${key} delivered ${times} times (committed ${committed.get(p)})`,
        );
      }
      for (const m of survivors) await m.stop();
    });

    test(`${client}: a member that leaves gracefully triggers an immediate rebalance`, async () => {
      const topic = `graceful-leave-${client}`;
      await produce(topic, 60);
      const env = { GROUP: `g-leave-${client}`, TOPIC: topic, SESSION_MS: '30000' };
      const group = [1, 2, 3].map((i) => member(`l${i}`, env, client));
      await settle(group);
      const leaver = group[2] as MemberProcess;
      const stoppedAt = Date.now();
      await leaver.stop();
      const rest = group.slice(0, 2);
      await waitUntil(
        () => balanced(rest, 6),
        10000,
        () => describeAssignments(rest),
      );
      assert.ok(Date.now() - stoppedAt < 10000, 'rebalanced well before the 30 s session timeout');
      for (const m of rest) await m.stop();
    });
  }

  test('cooperative-sticky: a joining member takes partitions without the others giving up the rest', async () => {
    const topic = 'cooperative';
    await produce(topic, 60);
    const env = { GROUP: 'g-coop', TOPIC: topic, STRATEGY: 'cooperative-sticky' };
    const first = [member('c1', env), member('c2', env)];
    await settle(first);
    const before = first.map((m) => m.assignment);
    const revokesBefore = first.map((m) => m.count('revoke'));
    const third = member('c3', env);
    const all = [...first, third];
    await settle(all);
    assert.equal(third.assignment.length, 2, describeAssignments(all));
    first.forEach((m, i) => {
      const kept = m.assignment;
      // Incremental: every partition kept was never revoked, and what was revoked is now elsewhere.
      for (const p of kept) assert.ok(before[i]?.includes(p), `${m.name} gained ${p} while a member joined`);
      const revoked = m.events
        .filter((e) => e.ev === 'revoke')
        .slice(revokesBefore[i])
        .flatMap((e) => e.partitions ?? []);
      for (const p of revoked) assert.ok(!kept.includes(p), `${m.name} revoked ${p} but kept it`);
      assert.equal(revoked.length, (before[i]?.length ?? 0) - kept.length, `${m.name} revoked more than it gave away`);
    });
    for (const m of all) await m.stop();
  });

  test('static membership: a member restarted with the same group.instance.id gets its partitions back without a rebalance', async () => {
    const topic = 'static';
    await produce(topic, 60);
    const env = (id: string) => ({ GROUP: 'g-static', TOPIC: topic, INSTANCE_ID: id, SESSION_MS: '30000' });
    const group = ['s1', 's2', 's3'].map((id) => member(id, env(id)));
    await settle(group);
    const restarted = group[1] as MemberProcess;
    const assignment = restarted.assignment;
    const others = [group[0], group[2]] as MemberProcess[];
    const eventsBefore = others.map((m) => m.count('assign') + m.count('revoke'));
    await restarted.stop();
    const again = member('s2-again', env('s2'));
    await waitUntil(
      () => again.assignment.length > 0,
      20000,
      () => 's2 rejoining',
    );
    assert.deepEqual(again.assignment, assignment);
    await new Promise((r) => setTimeout(r, 1500));
    others.forEach((m, i) => {
      assert.equal(m.count('assign') + m.count('revoke'), eventsBefore[i], `${m.name} saw a rebalance`);
    });
    for (const m of [...others, again]) await m.stop();
  });
});
