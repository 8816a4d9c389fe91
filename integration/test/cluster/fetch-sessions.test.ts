/**
 * Followers' incremental fetch sessions (KIP-227) on a 3-broker cluster: every follower
 * establishes a session with each leader it follows; idle incremental fetches (naming no
 * partition) keep followers in the ISR past replica.lag.time.max.ms; acks=all keeps being
 * acknowledged through them; a follower restarted, and a leader killed, make the followers open
 * new sessions — and everything acknowledged is read back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { describeTopic, eventually } from './cluster-support.js';
import { assertNoLossNoDuplicates, readAllPartitions, startSamsaProducer } from './fault-support.js';

const PARTITIONS = 6;
const LAG_MS = 1500;

function sessionsEstablished(logs: string): number {
  return (logs.match(/Established fetch session \d+ with \d+ partition\(s\)/g) ?? []).length;
}

describe('followers fetch through incremental fetch sessions', () => {
  let cluster: KafkaCluster;
  let topic: string;

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 3,
      properties: { 'replica.lag.time.max.ms': LAG_MS, 'zookeeper.session.timeout.ms': 4000 },
    });
    topic = uniqueName('sessions');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    await admin.createTopics([
      { name: topic, numPartitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ]);
    await admin.close();
  });
  after(async () => {
    await cluster?.close();
  });

  async function fullIsr(): Promise<boolean> {
    const d = await describeTopic(cluster.bootstrap, topic);
    return d !== undefined && d.partitions.length === PARTITIONS && d.partitions.every((p) => p.isr.length === 3);
  }

  test('sessions are established, idle followers stay in sync, acks=all flows, and faults open new sessions', async () => {
    await eventually(fullIsr, 20000, 'every replica in sync');
    const producer = startSamsaProducer(cluster.bootstrap, topic, { acks: 'all', partitions: PARTITIONS, prefix: 's' });
    await eventually(() => producer.acked.length > 600, 30000, '600 acknowledged');
    await producer.stop();
    // Each broker follows the two others (leaders are spread): six sessions.
    await eventually(() => sessionsEstablished(cluster.logs()) >= 6, 10000, 'sessions established');
    assert.doesNotMatch(cluster.logs(), /Fetch session \d+ \(epoch \d+\) refused/);

    // Idle: incremental fetches carry no partition, yet count as caught up.
    await new Promise((r) => setTimeout(r, LAG_MS * 3));
    assert.ok(await fullIsr(), 'idle followers stayed in the ISR');

    // A follower restarted: its new process opens new sessions, and catches up through them.
    const again = startSamsaProducer(cluster.bootstrap, topic, { acks: 'all', partitions: PARTITIONS, prefix: 't' });
    const d = await describeTopic(cluster.bootstrap, topic);
    const leaders = new Set(d?.partitions.map((p) => p.leader));
    const victim = [0, 1, 2].find((id) => !leaders.has(id)) ?? 2;
    try {
      await cluster.restart(victim);
      await eventually(fullIsr, 30000, 'the restarted broker back in sync');
      await eventually(
        () => sessionsEstablished(cluster.broker(victim).logs) >= 1,
        10000,
        'the restarted broker opening sessions',
      );

      // A leader killed: followers move to the new leaders (new sessions), acks=all goes on.
      const killed = d?.partitions[0]?.leader ?? 0;
      const acked = again.acked.length;
      await cluster.kill(killed);
      await eventually(() => again.acked.length > acked + 300, 40000, 'acks=all after the leader kill');
      await cluster.startBroker(killed);
    } finally {
      await again.stop();
    }
    await eventually(fullIsr, 30000, 'the killed broker back in sync');
    const stored = await readAllPartitions(cluster.bootstrap, topic, PARTITIONS);
    assertNoLossNoDuplicates([...producer.acked, ...again.acked], stored);
  });
});
