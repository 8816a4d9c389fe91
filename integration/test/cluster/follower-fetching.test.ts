/**
 * Follower fetching (KIP-392): brokers in racks a/b/c with the rack-aware replica selector; a
 * consumer in rack b is told by the leader to read from the replica in rack b, and that follower
 * serves it (up to its high watermark). Checked at the protocol level and end to end with Samsa's
 * consumer and confluent-kafka (librdkafka) with `client.rack`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { FetchApi, type FetchResponse } from '@samsa/protocol';
import { KafkaCluster, requirePythonModule } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { RawClient } from '../support/raw-client.js';
import { describeTopic, eventually } from './cluster-support.js';
import { readAllPartitions, startSamsaProducer } from './fault-support.js';

const RACKS = ['a', 'b', 'c'];

describe('follower fetching (KIP-392, RackAwareReplicaSelector)', () => {
  let cluster: KafkaCluster;
  let topic: string;
  let leader: number;
  let follower: number;

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 3,
      properties: { 'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector' },
      brokerProperties: {
        0: { 'broker.rack': RACKS[0] as string },
        1: { 'broker.rack': RACKS[1] as string },
        2: { 'broker.rack': RACKS[2] as string },
      },
    });
    topic = uniqueName('rack');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    // Leader in rack a (broker 0), followers in b and c.
    await admin.createTopics([{ name: topic, assignments: { 0: [0, 1, 2] } }]);
    await admin.close();
    const p = await eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, topic);
        return d?.partitions[0]?.isr.length === 3 ? d.partitions[0] : undefined;
      },
      15000,
      'in sync',
    );
    leader = p.leader;
    follower = 1;
    const producer = startSamsaProducer(cluster.bootstrap, topic, { acks: 'all', partitions: 1, prefix: 'r' });
    await eventually(() => producer.acked.length >= 200, 20000, '200 records');
    await producer.stop();
  });

  after(async () => {
    await cluster?.close();
  });

  test("the leader names the replica in the consumer's rack, which then serves the records", async () => {
    assert.equal(leader, 0);
    const fetch = (rackId: string) => ({
      replicaId: -1,
      // Long-polling, as consumers fetch: a redirection must still be answered at once.
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1024 * 1024,
      isolationLevel: 0,
      topics: [
        {
          topic,
          partitions: [{ partition: 0, fetchOffset: 0n, currentLeaderEpoch: -1, partitionMaxBytes: 1024 * 1024 }],
        },
      ],
      forgottenTopicsData: [],
      rackId,
    });
    const toLeader = await RawClient.connect(cluster.ports.get(leader) as number);
    try {
      const inRackB = await toLeader.send<FetchResponse>(FetchApi, 12, fetch('b'));
      const p = inRackB.responses[0]?.partitions[0];
      assert.equal(p?.errorCode, 0);
      assert.equal(p?.preferredReadReplica, follower, 'the replica in rack b');
      assert.equal(p?.records?.length ?? 0, 0, 'no records with a redirection');
      const inRackA = await toLeader.send<FetchResponse>(FetchApi, 12, fetch('a'));
      assert.equal(inRackA.responses[0]?.partitions[0]?.preferredReadReplica, -1, 'the leader itself for rack a');
      assert.ok((inRackA.responses[0]?.partitions[0]?.records?.length ?? 0) > 0);
    } finally {
      toLeader.close();
    }
    const toFollower = await RawClient.connect(cluster.ports.get(follower) as number);
    try {
      const served = await toFollower.send<FetchResponse>(FetchApi, 12, fetch('b'));
      assert.equal(served.responses[0]?.partitions[0]?.errorCode, 0);
      assert.ok(
        (served.responses[0]?.partitions[0]?.records?.length ?? 0) > 0,
        'the follower serves a v11+ consumer fetch',
      );
      const old = await toFollower.send<FetchResponse>(FetchApi, 10, { ...fetch(''), rackId: undefined });
      assert.equal(old.responses[0]?.partitions[0]?.errorCode, 6, 'a pre-KIP-392 fetch still needs the leader');
    } finally {
      toFollower.close();
    }
  });

  test("Samsa's consumer and confluent-kafka in rack b read everything", async () => {
    const samsa = await readAllPartitions(cluster.bootstrap, topic, 1, 30000, { 'client.rack': 'b' });
    assert.ok((samsa.get(0)?.length ?? 0) >= 200);
    const expected = samsa.get(0)?.length ?? 0;
    const python = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
    // librdkafka's statistics tell which broker the records came from (rxbytes per broker), as
    // librdkafka's own 0101_fetch_from_follower checks. The group coordinator's connection is an
    // entry of its own ("GroupCoordinator") with the coordinator's node id; it carries no fetches
    // and must not overwrite that broker's figure.
    const script = `
import json, os
from confluent_kafka import Consumer, TopicPartition
rx = {}
def stats(s):
    for b in json.loads(s)['brokers'].values():
        if b['nodeid'] >= 0 and b['name'] != 'GroupCoordinator': rx[b['nodeid']] = b['rxbytes']
c = Consumer({'bootstrap.servers': os.environ['B'], 'group.id': 'rack-b', 'client.rack': 'b', 'auto.offset.reset': 'earliest', 'enable.auto.commit': False, 'statistics.interval.ms': 200, 'stats_cb': stats})
c.assign([TopicPartition(os.environ['T'], 0, 0)])
n = 0
while n < int(os.environ['N']):
    m = c.poll(10.0)
    if m is None: break
    if m.error() is None: n += 1
rx.clear()
while not rx: c.poll(0.2)
print(n, json.dumps(rx))
c.close()
`;
    const r = spawnSync(python, ['-c', script], {
      env: { ...process.env, B: cluster.bootstrap, T: topic, N: String(expected) },
      encoding: 'utf8',
      timeout: 60000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trim();
    const count = out.slice(0, out.indexOf(' '));
    const rxJson = out.slice(out.indexOf(' ') + 1);
    assert.equal(Number(count), expected);
    const rx = JSON.parse(rxJson) as Record<string, number>;
    assert.ok(
      (rx[follower] ?? 0) > (rx[leader] ?? 0),
      `the follower in rack b served more than the leader (rxbytes by broker: ${rxJson})`,
    );
  });
});
