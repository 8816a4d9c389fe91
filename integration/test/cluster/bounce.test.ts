/**
 * The bounce matrix: three brokers, a topic with replication factor 3 and min.insync.replicas=2,
 * two idempotent acks=all producers (confluent-kafka and Samsa's client) and a consumer group at
 * work, while the leader, then the controller, then a random broker are killed with SIGKILL and
 * restarted — five rounds. At the end: no acknowledged record lost, none duplicated, each
 * producer's order kept in every partition, and the group consumed every acknowledged record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KafkaZkClient } from '@samsa/broker';
import { Admin, Consumer } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { uniqueName } from '../client/client-support.js';
import { controllerId, describeTopic, eventually, zkClient } from './cluster-support.js';
import {
  assertNoLossNoDuplicates,
  readAllPartitions,
  startPythonProducer,
  startSamsaProducer,
} from './fault-support.js';

const ROUNDS = 5;
const PARTITIONS = 3;

describe('bounce matrix (kill -9 of leader, controller, random broker; 5 rounds)', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 3,
      properties: {
        'zookeeper.session.timeout.ms': 4000,
        'replica.lag.time.max.ms': 5000,
        'group.min.session.timeout.ms': 1000,
        'offsets.topic.num.partitions': 3,
      },
    });
    zk = await zkClient(cluster);
  });

  after(async () => {
    zk?.close();
    await cluster?.close();
  });

  /** Waits until every partition of `topic` has a live leader and all three replicas in sync. */
  async function healthy(topic: string): Promise<void> {
    await eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, topic);
        return d?.partitions.every((p) => p.leader >= 0 && p.isr.length === 3) === true;
      },
      60000,
      `${topic} fully in sync`,
    );
  }

  test('no acknowledged record is lost or duplicated, order is kept, the group gets everything', async () => {
    const topic = uniqueName('bounce');
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    await admin.createTopics([
      { name: topic, numPartitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ]);
    await healthy(topic);

    const python = startPythonProducer(cluster.bootstrap, topic, {
      acks: 'all',
      idempotence: true,
      partitions: PARTITIONS,
      prefix: 'c',
    });
    const samsa = startSamsaProducer(cluster.bootstrap, topic, { acks: 'all', partitions: PARTITIONS, prefix: 's' });
    const consumed = new Set<string>();
    const consumer = new Consumer({
      'bootstrap.servers': cluster.bootstrap,
      'group.id': `${topic}-group`,
      'auto.offset.reset': 'earliest',
      'session.timeout.ms': 6000,
      'heartbeat.interval.ms': 500,
    });
    consumer.subscribe([topic]);
    // A consumer error ends the loop: kept, so that a stalled group fails saying why.
    let consumerError: unknown;
    const consuming = (async () => {
      for await (const record of consumer) consumed.add(String(record.value));
    })().catch((err) => {
      consumerError = err;
    });

    const faults: string[] = [];
    try {
      await eventually(
        () => python.acked.length > 100 && samsa.acked.length > 100,
        30000,
        'both producers acknowledged',
      );
      for (let round = 1; round <= ROUNDS; round++) {
        const leader = (await describeTopic(cluster.bootstrap, topic))?.partitions[0]?.leader ?? 0;
        const victims: [string, number][] = [
          ['leader', leader],
          ['controller', await controllerId(zk)],
          ['random', Math.floor(Math.random() * 3)],
        ];
        for (const [kind, victim] of victims) {
          const id = victim >= 0 ? victim : 0;
          const before = python.acked.length + samsa.acked.length;
          await cluster.kill(id);
          faults.push(`round ${round}: kill -9 ${kind} (broker ${id})`);
          await cluster.startBroker(id);
          await healthy(topic);
          // Producers keep getting acknowledgements after each fault.
          await eventually(
            () => python.acked.length + samsa.acked.length > before + 50,
            60000,
            `progress after ${kind}`,
          );
        }
      }
    } finally {
      await python.stop();
      await samsa.stop();
    }
    const acked = [...python.acked, ...samsa.acked];
    const stored = await readAllPartitions(cluster.bootstrap, topic, PARTITIONS);
    const storedCount = [...stored.values()].reduce((n, r) => n + r.length, 0);
    console.log(
      `# bounce: ${faults.length} faults, ${acked.length} acknowledged (${python.acked.length} confluent-kafka, ${samsa.acked.length} samsa), ${storedCount} stored, ${python.failed() + samsa.failed()} sends failed, confluent-kafka producer replaced ${python.restarts?.length ?? 0} time(s) after librdkafka's pre-2.3.0 fatal error${python.restarts?.length ? ` (${python.restarts.join('; ')})` : ''}`,
    );
    assertNoLossNoDuplicates(acked, stored);
    await eventually(
      () => {
        if (consumerError !== undefined) throw consumerError;
        return acked.every((a) => consumed.has(a.value));
      },
      60000,
      'the group to consume every acknowledged record',
    ).catch((err) => {
      const missing = acked.filter((a) => !consumed.has(a.value));
      const byPartition = new Map<number, number>();
      for (const m of missing) byPartition.set(m.partition, (byPartition.get(m.partition) ?? 0) + 1);
      throw new Error(
        `${(err as Error).message}; ${missing.length} of ${acked.length} not consumed (by partition: ${JSON.stringify([...byPartition])}), membership ${JSON.stringify(consumer.membership)}`,
      );
    });
    await consumer.close();
    await consuming;
    await admin.close();
    assert.equal(faults.length, ROUNDS * 3);
  });
});
