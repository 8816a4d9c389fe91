/**
 * A full disk under one broker of a cluster (Kafka's log dir failure handling): broker 1 keeps one
 * of its two log dirs on a small tmpfs; when it fills up under an acks=all producer, the replicas
 * in that dir go offline — the controller moves leadership to other in-sync replicas and drops
 * broker 1 from those ISRs — while broker 1 stays up and keeps serving the replicas of its other
 * dir. Nothing acknowledged is lost; with space back and a restart, broker 1 rejoins the ISRs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { KafkaCluster, Tmpfs } from '@samsa/testkit';
import { describeTopic, eventually } from './cluster-support.js';
import { assertNoLossNoDuplicates, readAllPartitions, startSamsaProducer } from './fault-support.js';

const MiB = 1024 * 1024;
const TOPIC = 'disk-full';

describe('log dir failure in a cluster (3 brokers, tmpfs)', () => {
  let disk: Tmpfs;
  let healthyDir: string;
  let cluster: KafkaCluster;
  let admin: Admin;

  before(async () => {
    disk = Tmpfs.mount(16 * MiB);
    healthyDir = mkdtempSync(join(tmpdir(), 'samsa-ldf-'));
    cluster = await KafkaCluster.start({
      brokers: 3,
      properties: { 'log.segment.bytes': MiB, 'replica.lag.time.max.ms': 5000 },
      brokerProperties: { 1: { 'log.dirs': `${join(disk.dir, 'logs')},${healthyDir}` } },
    });
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
  });

  after(async () => {
    await admin?.close();
    await cluster?.close();
    disk?.unmount();
    rmSync(healthyDir, { recursive: true, force: true });
  });

  test('the full dir takes only its replicas offline; leadership and ISRs move, nothing acknowledged is lost', async () => {
    await admin.createTopics([
      {
        name: TOPIC,
        assignments: { 0: [1, 0, 2], 1: [1, 2, 0], 2: [0, 1, 2], 3: [2, 1, 0] },
        configs: { 'min.insync.replicas': '2' },
      },
    ]);
    const full = join(disk.dir, 'logs');
    const placement = await eventually(
      async () => {
        const dirs = await admin.describeLogDirs([1]);
        const on = (dir: string) =>
          dirs
            .find((d) => d.logDir === dir)
            ?.partitions.filter((p) => p.topic === TOPIC)
            .map((p) => p.partition) ?? [];
        const [inFull, inHealthy] = [on(full), on(healthyDir)];
        return inFull.length + inHealthy.length === 4 ? { inFull, inHealthy } : undefined;
      },
      15000,
      "broker 1's replicas in its two dirs",
    );
    assert.ok(placement.inFull.length > 0 && placement.inHealthy.length > 0, JSON.stringify(placement));

    const producer = startSamsaProducer(cluster.bootstrap, TOPIC, { acks: 'all', partitions: 4, prefix: 'd' });
    await eventually(() => producer.acked.length > 1000, 30000, 'records before the disk fills');
    disk.fill(256 * 1024);

    const offline = await eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, TOPIC);
        if (d === undefined) return undefined;
        const moved = placement.inFull.every((p) => {
          const partition = d.partitions[p];
          return (
            partition !== undefined &&
            partition.leader !== 1 &&
            partition.leader >= 0 &&
            !partition.isr.includes(1) &&
            partition.offlineReplicas.includes(1)
          );
        });
        return moved ? d : undefined;
      },
      30000,
      "broker 1's replicas in the full dir to go offline",
    ).catch(async (err) => {
      // What the cluster says and what its brokers logged, to tell which side did not act.
      const seen = JSON.stringify(await describeTopic(cluster.bootstrap, TOPIC));
      const logged = cluster
        .logs()
        .split('\n')
        .filter((l) => /ERROR|offline|log dir/.test(l))
        .slice(-20)
        .join('\n');
      throw new Error(`${(err as Error).message}\nmetadata: ${seen}\nlogs:\n${logged}`);
    });
    // The other dir's replicas are untouched, and broker 1 still runs.
    for (const p of placement.inHealthy) assert.deepEqual(offline.partitions[p]?.offlineReplicas, []);
    assert.equal(cluster.isRunning(1), true);
    assert.match(cluster.broker(1).logs, new RegExp(`ERROR .*${full}`));

    const afterFailure = producer.acked.length;
    await eventually(() => producer.acked.length > afterFailure + 1000, 30000, 'records after the failure');
    await producer.stop();
    assert.equal(producer.failed(), 0);
    const stored = await readAllPartitions(cluster.bootstrap, TOPIC, 4);
    assertNoLossNoDuplicates(producer.acked, stored);

    // Space back and a restart: broker 1 catches up and rejoins every ISR.
    disk.unfill();
    await cluster.restart(1);
    await eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, TOPIC);
        return d?.partitions.every((p) => p.isr.includes(1) && p.offlineReplicas.length === 0);
      },
      60000,
      'broker 1 back in every ISR',
    );
  });
});
