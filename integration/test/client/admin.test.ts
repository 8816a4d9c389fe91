import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, KafkaError, OffsetSpec } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import { newProducer, startBroker, uniqueName, waitFor } from './client-support.js';

describe('admin client', () => {
  let broker: BrokerProcess;
  let admin: Admin;
  before(async () => {
    broker = await startBroker();
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap, 'client.id': 'admin-test' });
  });
  after(async () => {
    await admin.close();
    await broker.close();
  });

  async function produce(topic: string, count: number, partition = 0): Promise<void> {
    const producer = newProducer(broker.bootstrap);
    try {
      await producer.sendBatch(
        Array.from({ length: count }, (_, i) => ({
          topic,
          value: `v${i}`,
          partition,
          timestamp: 1_000_000 + i * 1000,
        })),
      );
    } finally {
      await producer.close();
    }
  }

  it('creates topics with partitions, replication, configs and explicit assignments; lists and describes them', async () => {
    const a = uniqueName('topic-a');
    const b = uniqueName('topic-b');
    const created = await admin.createTopics([
      {
        name: a,
        numPartitions: 3,
        replicationFactor: 1,
        configs: { 'cleanup.policy': 'compact', 'retention.ms': '1234567' },
      },
      { name: b, assignments: { 0: [0], 1: [0] } },
    ]);
    assert.deepEqual(
      created.map((t) => [t.name, t.numPartitions, t.replicationFactor]),
      [
        [a, 3, 1],
        [b, 2, 1],
      ],
    );
    assert.ok(created[0]?.topicId !== undefined && created[0].topicId !== '');
    const names = await admin.listTopics();
    assert.ok(names.includes(a) && names.includes(b));
    const [desc] = await admin.describeTopics([a]);
    assert.equal(desc?.partitions.length, 3);
    assert.deepEqual(
      desc?.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr]),
      [
        [0, 0, [0], [0]],
        [1, 0, [0], [0]],
        [2, 0, [0], [0]],
      ],
    );
    const [configs] = await admin.describeConfigs([
      { type: 'topic', name: a, keys: ['cleanup.policy', 'retention.ms', 'segment.bytes'] },
    ]);
    const byName = new Map(configs?.configs.map((c) => [c.name, c]));
    assert.equal(byName.get('cleanup.policy')?.value, 'compact');
    assert.equal(byName.get('cleanup.policy')?.source, 'DYNAMIC_TOPIC_CONFIG');
    assert.equal(byName.get('retention.ms')?.value, '1234567');
    assert.equal(byName.get('segment.bytes')?.isDefault, true);
  });

  it('surfaces Kafka errors as KafkaError with the Kafka name and code', async () => {
    const name = uniqueName('dup');
    await admin.createTopics([{ name, numPartitions: 1 }]);
    await assert.rejects(admin.createTopics([{ name, numPartitions: 1 }]), (e: unknown) => {
      assert.ok(e instanceof KafkaError);
      assert.equal(e.errorName, 'TOPIC_ALREADY_EXISTS');
      assert.equal(e.errorCode, 36);
      assert.match(e.message, new RegExp(name));
      return true;
    });
    await assert.rejects(
      admin.describeTopics(['no-such-topic-here']),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'UNKNOWN_TOPIC_OR_PARTITION',
    );
    await assert.rejects(
      admin.createTopics([{ name: uniqueName('bad'), numPartitions: 1, configs: { 'cleanup.policy': 'sometimes' } }]),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'INVALID_CONFIG',
    );
  });

  it('validateOnly creates nothing', async () => {
    const name = uniqueName('validate');
    await admin.createTopics([{ name, numPartitions: 2 }], { validateOnly: true });
    assert.ok(!(await admin.listTopics()).includes(name));
  });

  it('adds partitions and deletes topics', async () => {
    const name = uniqueName('grow');
    await admin.createTopics([{ name, numPartitions: 1 }]);
    await admin.createPartitions([{ topic: name, totalCount: 4 }]);
    assert.equal((await admin.describeTopics([name]))[0]?.partitions.length, 4);
    await assert.rejects(
      admin.createPartitions([{ topic: name, totalCount: 2 }]),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'INVALID_PARTITIONS',
    );
    await admin.deleteTopics([name]);
    await waitFor(async () => !(await admin.listTopics()).includes(name), 5000, 'topic gone');
  });

  it('lists internal topics only when asked', async () => {
    const consumer = new Consumer({
      'bootstrap.servers': broker.bootstrap,
      'group.id': uniqueName('g'),
      'session.timeout.ms': 3000,
      'heartbeat.interval.ms': 500,
    });
    const topic = uniqueName('internal');
    await produce(topic, 1);
    consumer.subscribe([topic]);
    await consumer.poll({ timeoutMs: 3000 });
    await consumer.close();
    assert.ok((await admin.listTopics({ listInternal: true })).includes('__consumer_offsets'));
    assert.ok(!(await admin.listTopics()).includes('__consumer_offsets'));
    const [internal] = await admin.describeTopics(['__consumer_offsets']);
    assert.equal(internal?.isInternal, true);
  });

  it('alters configs: incremental set/delete and legacy full replacement; broker configs too', async () => {
    const name = uniqueName('configs');
    await admin.createTopics([{ name, numPartitions: 1, configs: { 'retention.ms': '1000000' } }]);
    await admin.incrementalAlterConfigs([
      {
        type: 'topic',
        name,
        ops: [
          { name: 'max.message.bytes', op: 'set', value: '200000' },
          { name: 'retention.ms', op: 'delete' },
        ],
      },
    ]);
    let [d] = await admin.describeConfigs([{ type: 'topic', name }]);
    let byName = new Map(d?.configs.map((c) => [c.name, c]));
    assert.equal(byName.get('max.message.bytes')?.value, '200000');
    assert.equal(byName.get('retention.ms')?.source === 'DYNAMIC_TOPIC_CONFIG', false);
    await admin.alterConfigs([{ type: 'topic', name, configs: { 'segment.ms': '3600000' } }]);
    [d] = await admin.describeConfigs([{ type: 'topic', name }]);
    byName = new Map(d?.configs.map((c) => [c.name, c]));
    assert.equal(byName.get('segment.ms')?.value, '3600000');
    assert.notEqual(
      byName.get('max.message.bytes')?.source,
      'DYNAMIC_TOPIC_CONFIG',
      'legacy alter replaced the whole set',
    );
    const [brokerConfigs] = await admin.describeConfigs([{ type: 'broker', name: '0', keys: ['num.partitions'] }], {
      includeSynonyms: true,
    });
    assert.equal(brokerConfigs?.configs[0]?.name, 'num.partitions');
    assert.equal(brokerConfigs?.configs[0]?.value, '1');
  });

  it('describes the cluster', async () => {
    const cluster = await admin.describeCluster();
    assert.ok(cluster.clusterId.length > 0);
    assert.equal(cluster.controllerId, 0);
    assert.deepEqual(
      cluster.brokers.map((b) => [b.nodeId, b.port]),
      [[0, broker.port]],
    );
  });

  it('consumer groups: list, describe (members and assignment), offsets, reset, delete offsets, delete', async () => {
    const topic = uniqueName('groups');
    await admin.createTopics([{ name: topic, numPartitions: 2 }]);
    await produce(topic, 10, 0);
    await produce(topic, 6, 1);
    const group = uniqueName('g');
    const consumer = new Consumer({
      'bootstrap.servers': broker.bootstrap,
      'group.id': group,
      'client.id': 'described',
      'auto.offset.reset': 'earliest',
      'session.timeout.ms': 3000,
      'heartbeat.interval.ms': 200,
      'fetch.max.wait.ms': 100,
    });
    try {
      consumer.subscribe([topic]);
      let n = 0;
      while (n < 16) n += (await consumer.poll({ timeoutMs: 1000 })).length;
      await consumer.commitSync();
      const listed = await admin.listGroups();
      const mine = listed.find((g) => g.groupId === group);
      assert.equal(mine?.protocolType, 'consumer');
      assert.equal(mine?.state, 'Stable');
      assert.ok((await admin.listGroups({ states: ['Empty'] })).every((g) => g.groupId !== group));
      const [desc] = await admin.describeGroups([group]);
      assert.equal(desc?.state, 'Stable');
      assert.equal(desc?.protocol, 'range');
      assert.equal(desc?.members.length, 1);
      assert.equal(desc?.members[0]?.clientId, 'described');
      assert.deepEqual(desc?.members[0]?.subscribedTopics, [topic]);
      assert.deepEqual(desc?.members[0]?.assignment.map((p) => p.partition).sort(), [0, 1]);
      // Offsets cannot be changed while the group has members.
      await assert.rejects(
        admin.alterConsumerGroupOffsets(group, [{ topic, partition: 0, offset: 1n }]),
        (e: unknown) => e instanceof KafkaError,
      );
    } finally {
      await consumer.close();
    }
    let offsets = await admin.listConsumerGroupOffsets(group);
    assert.deepEqual(
      offsets.map((o) => [o.partition, o.offset]),
      [
        [0, 10n],
        [1, 6n],
      ],
    );
    await admin.alterConsumerGroupOffsets(group, [{ topic, partition: 0, offset: 4n }]);
    assert.equal(
      (await admin.listConsumerGroupOffsets(group, { partitions: [{ topic, partition: 0 }] }))[0]?.offset,
      4n,
    );
    await admin.resetConsumerGroupOffsets(group, topic, 'earliest');
    offsets = await admin.listConsumerGroupOffsets(group);
    assert.deepEqual(
      offsets.map((o) => o.offset),
      [0n, 0n],
    );
    await admin.resetConsumerGroupOffsets(group, topic, 'latest');
    assert.deepEqual(
      (await admin.listConsumerGroupOffsets(group)).map((o) => o.offset),
      [10n, 6n],
    );
    await admin.resetConsumerGroupOffsets(group, topic, { timestamp: 1_003_000 }, { partitions: [0] });
    assert.equal((await admin.listConsumerGroupOffsets(group))[0]?.offset, 3n);
    await admin.deleteConsumerGroupOffsets(group, [{ topic, partition: 1 }]);
    assert.deepEqual(
      (await admin.listConsumerGroupOffsets(group)).map((o) => o.partition),
      [0],
    );
    await admin.deleteGroups([group]);
    assert.ok((await admin.listGroups()).every((g) => g.groupId !== group));
    await assert.rejects(
      admin.deleteGroups([group]),
      (e: unknown) => e instanceof KafkaError && e.errorName === 'GROUP_ID_NOT_FOUND',
    );
  });

  it('lists offsets (earliest, latest, by time, max timestamp) and deletes records', async () => {
    const topic = uniqueName('records');
    await produce(topic, 10);
    const q = (timestamp: bigint) => admin.listOffsets([{ topic, partition: 0, timestamp }]);
    assert.equal((await q(OffsetSpec.EARLIEST))[0]?.offset, 0n);
    assert.equal((await q(OffsetSpec.LATEST))[0]?.offset, 10n);
    assert.equal((await q(1_004_500n))[0]?.offset, 5n);
    const [max] = await q(OffsetSpec.MAX_TIMESTAMP);
    assert.equal(max?.offset, 9n);
    assert.equal(max?.timestamp, 1_009_000n);
    const [deleted] = await admin.deleteRecords([{ topic, partition: 0, offset: 4n }]);
    assert.equal(deleted?.lowWatermark, 4n);
    assert.equal((await q(OffsetSpec.EARLIEST))[0]?.offset, 4n);
    // Each partition has its own outcome, as Java's per-partition futures: the error is in the result.
    const [beyond] = await admin.deleteRecords([{ topic, partition: 0, offset: 99n }]);
    assert.equal(beyond?.lowWatermark, null);
    assert.ok(beyond?.error instanceof KafkaError && beyond.error.errorName === 'OFFSET_OUT_OF_RANGE');
  });

  it('describes log dirs and producers', async () => {
    const topic = uniqueName('dirs');
    await produce(topic, 5);
    const dirs = await admin.describeLogDirs();
    assert.equal(dirs.length, 1);
    assert.equal(dirs[0]?.broker, 0);
    assert.ok(dirs[0]?.logDir.startsWith(broker.dataDir));
    const partition = dirs[0]?.partitions.find((p) => p.topic === topic);
    assert.ok(partition !== undefined && partition.size > 0n);
    const [producers] = await admin.describeProducers([{ topic, partition: 0 }]);
    assert.equal(producers?.activeProducers.length, 1);
    assert.equal(producers?.activeProducers[0]?.lastSequence, 4);
    assert.equal(producers?.activeProducers[0]?.currentTransactionStartOffset, -1n);
  });
});
