/**
 * Samsa's consumer with `group.protocol=consumer` (KIP-848) against the broker's consumer groups,
 * each member in its own process: three members join and leave one at a time while records are
 * produced — a partition is never owned by two members at once (its old owner revokes it before
 * the new one is told), the group ends balanced after each step, a member killed with SIGKILL is
 * fenced after `group.consumer.session.timeout.ms` and its partitions move, and every produced
 * record is consumed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { balanced, describeAssignments, FIXTURES, MemberProcess, waitUntil } from '../support/member-process.js';

const TOPIC = 'kip848-samsa';
const GROUP = 'kip848-samsa-group';
const PARTITIONS = 6;
const SESSION_TIMEOUT_MS = 6000;

describe("Samsa's consumer on the KIP-848 protocol", () => {
  let broker: BrokerProcess;
  const members: MemberProcess[] = [];
  /** Assignments received while the partition was someone else's ("member p"). */
  const overlaps: string[] = [];

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        'group.consumer.session.timeout.ms': SESSION_TIMEOUT_MS,
        'group.consumer.heartbeat.interval.ms': 500,
      },
    });
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      await admin.createTopics([{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }]);
    } finally {
      await admin.close();
    }
  });
  after(async () => {
    for (const m of members) await m.kill();
    await broker?.close();
  });

  function member(name: string): MemberProcess {
    const m = MemberProcess.spawn(
      name,
      process.execPath,
      [join(FIXTURES, 'samsa_member.mjs')],
      { BOOTSTRAP: broker.bootstrap, GROUP: GROUP, TOPIC, GROUP_PROTOCOL: 'consumer' },
      true,
    );
    // Runs after MemberProcess's own listener has applied the event: at each assignment, no
    // other live member may still hold one of the partitions.
    m.child.stdout?.on('data', () => {
      const last = m.events.at(-1);
      if (last?.ev !== 'assign') return;
      for (const other of members) {
        if (other === m || other.child.exitCode !== null || other.child.signalCode !== null) continue;
        for (const p of last.partitions ?? []) if (other.assignment.includes(p)) overlaps.push(`${other.name} ${p}`);
      }
    });
    members.push(m);
    return m;
  }

  const live = () => members.filter((m) => m.child.exitCode === null && m.child.signalCode === null);

  test('members join and leave one at a time while producing; no partition has two owners; nothing is missed', async () => {
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'linger.ms': 5,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    let produced = 0;
    let producing = true;
    const producingDone = (async () => {
      while (producing) {
        const batch = Array.from({ length: 50 }, () => ({
          topic: TOPIC,
          key: `k${produced}`,
          value: `v${produced++}`,
        }));
        await producer.sendBatch(batch);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const step = async (what: string) => {
      await waitUntil(
        () => balanced(live(), PARTITIONS),
        SESSION_TIMEOUT_MS * 4,
        () =>
          `${what}: ${describeAssignments(live())}; ` +
          members
            .filter((m) => !live().includes(m))
            .map(
              (m) =>
                `${m.name} exited (${m.child.exitCode ?? m.child.signalCode}): ` +
                `${m.events
                  .filter((e) => e.ev === 'error')
                  .map((e) => e.error)
                  .join(', ')} ${m.logs.slice(-500)}`,
            )
            .join('; '),
      );
    };
    try {
      const a = member('a');
      await step('a alone');
      assert.equal(a.assignment.length, PARTITIONS);
      member('b');
      await step('a and b');
      const c = member('c');
      await step('a, b and c');
      assert.equal(c.assignment.length, 2);
      await a.stop(); // leaves with epoch -1: its partitions move at once
      await step('b and c after a left');
      const b = members[1] as MemberProcess;
      await b.kill(); // no leave: fenced after the session timeout
      await step('c after b was killed');
      assert.equal(c.assignment.length, PARTITIONS);
    } finally {
      producing = false;
      await producingDone;
      await producer.close();
    }
    const c = members[2] as MemberProcess;
    const seen = () => new Set(members.flatMap((m) => m.messages().map((r) => r.v)));
    await waitUntil(
      () => seen().size === produced,
      30000,
      () => `${seen().size} of ${produced} records consumed`,
    );
    assert.deepEqual(overlaps, [], 'a partition was assigned while another member still owned it');
    assert.equal(c.count('error'), 0, c.logs);
    for (const m of members) assert.equal(m.events.filter((e) => e.ev === 'error').length, 0, `${m.name}: ${m.logs}`);
  });
});
