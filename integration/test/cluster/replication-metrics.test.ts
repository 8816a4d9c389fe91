/**
 * `/metrics` of a 2-broker cluster through a follower's death and return: replication bytes on
 * both sides, the ISR shrink and expansion, under-replication on the leader, and exactly one
 * active controller.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { freePort, KafkaCluster, requireCommand, run } from '@samsa/testkit';
import { type Exposition, parseExposition, sampleValue, scrape } from '../support/prometheus.js';
import { eventually } from './cluster-support.js';

const KCAT = requireCommand('kcat', 'kcat');
const TOPIC = 'replicated-metrics';

describe('replication metrics (2 brokers, ZooKeeper)', () => {
  let cluster: KafkaCluster;
  let admin: Admin;
  const metricsPorts = new Map<number, number>();
  let leaderId = 0;
  let followerId = 1;

  before(async () => {
    for (const id of [0, 1]) metricsPorts.set(id, await freePort());
    cluster = await KafkaCluster.start({
      brokers: 2,
      properties: { 'replica.lag.time.max.ms': 2000 },
      brokerProperties: {
        0: { 'metrics.listener': `http://127.0.0.1:${metricsPorts.get(0)}` },
        1: { 'metrics.listener': `http://127.0.0.1:${metricsPorts.get(1)}` },
      },
    });
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  });
  after(async () => {
    await admin?.close();
    await cluster?.close();
  });

  async function metricsOf(brokerId: number): Promise<Exposition> {
    return parseExposition((await scrape(metricsPorts.get(brokerId) as number)).body);
  }

  test('the follower counts what it copied, the leader what it sent', async () => {
    // The controller leads and the other broker follows: killing the follower later must not take
    // the controller with it, or the controller's failover (not the leader) would shrink the ISR,
    // which Kafka does not count as the leader's shrink either.
    const controller = await eventually(
      async () => {
        for (const id of [0, 1]) {
          if (sampleValue(await metricsOf(id), 'kafka_controller_kafkacontroller_activecontrollercount') === 1)
            return id;
        }
        return undefined;
      },
      20000,
      'an active controller',
    );
    leaderId = controller;
    followerId = 1 - controller;
    await admin.createTopics([{ name: TOPIC, assignments: { 0: [leaderId, followerId] } }]);
    const lines = Array.from({ length: 300 }, (_, i) => `replicated-${i}`).join('\n');
    const produced = await run(KCAT, ['-b', cluster.bootstrap, '-P', '-t', TOPIC, '-p', '0', '-X', 'acks=all'], {
      input: `${lines}\n`,
      timeoutMs: 30000,
    });
    assert.equal(produced.code, 0, produced.stderr);
    const leader = await eventually(
      async () => {
        const m = await metricsOf(leaderId);
        return sampleValue(m, 'kafka_server_brokertopicmetrics_messagesin_total', { topic: TOPIC }) === 300 && m;
      },
      20000,
      'the leader to count 300 messages in',
    );
    const logBytes = sampleValue(leader, 'kafka_log_log_size', { topic: TOPIC, partition: '0' });
    const follower = await eventually(
      async () => {
        const m = await metricsOf(followerId);
        return sampleValue(m, 'kafka_log_log_size', { topic: TOPIC, partition: '0' }) === logBytes && m;
      },
      20000,
      'the follower to catch up',
    );
    // Nothing else is replicated in this cluster (no group has used __consumer_offsets).
    assert.equal(sampleValue(follower, 'kafka_server_brokertopicmetrics_replicationbytesin_total'), logBytes);
    assert.ok(sampleValue(leader, 'kafka_server_brokertopicmetrics_replicationbytesout_total') >= logBytes);
    // Followers' fetches are FetchFollower requests, not consumer bytes out.
    assert.equal(sampleValue(leader, 'kafka_server_brokertopicmetrics_bytesout_total', { topic: TOPIC }), 0);
    assert.ok(sampleValue(leader, 'kafka_network_requestmetrics_totaltimems_count', { request: 'FetchFollower' }) > 0);
    // A follower appends nothing as leader: no messages-in series of the topic there.
    assert.deepEqual(
      follower.samples.filter(
        (s) => s.name === 'kafka_server_brokertopicmetrics_messagesin_total' && s.labels.topic === TOPIC,
      ),
      [],
    );
    assert.equal(sampleValue(leader, 'kafka_cluster_partition_replicascount', { topic: TOPIC, partition: '0' }), 2);
    const controllers =
      sampleValue(leader, 'kafka_controller_kafkacontroller_activecontrollercount') +
      sampleValue(follower, 'kafka_controller_kafkacontroller_activecontrollercount');
    assert.equal(controllers, 1);
  });

  test('a dead follower shrinks the ISR and under-replicates the partition; its return expands it', async () => {
    const shrinksBefore = sampleValue(await metricsOf(leaderId), 'kafka_server_replicamanager_isrshrinks_total');
    await cluster.kill(followerId);
    await eventually(
      async () => {
        const m = await metricsOf(leaderId);
        return (
          sampleValue(m, 'kafka_cluster_partition_underreplicated', { topic: TOPIC, partition: '0' }) === 1 &&
          sampleValue(m, 'kafka_server_replicamanager_underreplicatedpartitions') >= 1 &&
          sampleValue(m, 'kafka_server_replicamanager_isrshrinks_total') > shrinksBefore
        );
      },
      30000,
      'the leader to report the shrink',
    );
    const expandsBefore = sampleValue(await metricsOf(leaderId), 'kafka_server_replicamanager_isrexpands_total');
    await cluster.startBroker(followerId);
    await eventually(
      async () => {
        const m = await metricsOf(leaderId);
        return (
          sampleValue(m, 'kafka_cluster_partition_underreplicated', { topic: TOPIC, partition: '0' }) === 0 &&
          sampleValue(m, 'kafka_server_replicamanager_isrexpands_total') > expandsBefore
        );
      },
      60000,
      'the leader to report the expansion',
    );
  });
});
