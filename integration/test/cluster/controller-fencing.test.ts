/**
 * Controller fencing (Kafka's zkVersion fencing): a controller that lost its role without noticing
 * — its watch missed, as when it was paused — must not be able to write. Two controller instances
 * on two ZooKeeper sessions; the first is deposed behind its back and then asked to elect a leader.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerConfig, KafkaController, KafkaZkClient, silentLogger, ZkData } from '@samsa/broker';
import { ZooKeeperProcess } from '@samsa/testkit';

const TOPIC = 'fenced-topic';

describe('controller fencing through /controller_epoch', () => {
  let zookeeper: ZooKeeperProcess;
  let zkA: KafkaZkClient;
  let zkB: KafkaZkClient;

  before(async () => {
    zookeeper = await ZooKeeperProcess.start();
    const open = () =>
      KafkaZkClient.connect({
        connect: `${zookeeper.connectString}/fencing`,
        sessionTimeoutMs: 6000,
        connectionTimeoutMs: 5000,
        logger: silentLogger(),
      });
    zkA = await open();
    zkB = await open();
    // Two registered brokers and a partition led by its second replica.
    for (const id of [1, 2]) {
      await zkA.createRecursive('/brokers/ids');
      await zkA.create(
        ZkData.BrokerIdZNode.path(id),
        ZkData.BrokerIdZNode.encode(
          {
            brokerId: id,
            rack: null,
            endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 1 }],
          },
          Date.now(),
        ),
        'ephemeral',
      );
    }
    await zkA.createRecursive('/brokers/topics');
    await zkA.create(
      ZkData.TopicZNode.path(TOPIC),
      ZkData.TopicZNode.encode({
        topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
        partitions: new Map([[0, [1, 2]]]),
        addingReplicas: new Map(),
        removingReplicas: new Map(),
      }),
      'persistent',
    );
    await zkA.createRecursive(ZkData.TopicPartitionZNode.path(TOPIC, 0));
    await zkA.create(
      ZkData.TopicPartitionStateZNode.path(TOPIC, 0),
      ZkData.TopicPartitionStateZNode.encode({ leader: 2, leaderEpoch: 4, isr: [1, 2], controllerEpoch: 0 }),
      'persistent',
    );
  });

  const controllers: KafkaController[] = [];
  after(async () => {
    for (const c of controllers) await c.shutdown();
    zkA?.close();
    zkB?.close();
    await zookeeper?.close();
  });

  function controller(brokerId: number, zk: KafkaZkClient): KafkaController {
    const created = new KafkaController({
      brokerId,
      config: new BrokerConfig(
        new Map([
          ['broker.id', String(brokerId)],
          ['auto.leader.rebalance.enable', 'false'],
        ]),
      ),
      zk,
      topicOverrides: async () => ({}),
      logger: silentLogger(),
    });
    controllers.push(created);
    return created;
  }

  test('a deposed controller that missed the news fails its first write and resigns; ZooKeeper keeps the new state', async () => {
    const a = controller(10, zkA);
    await a.startup();
    assert.equal(a.isActive, true);
    // Let A process what its own election set off (the creation of /controller it watched for).
    await a.electLeaders(0, []);
    // A misses the change of controller: its watch on /controller is gone.
    zkA.unregisterDataChangeHandler(ZkData.ControllerZNode.path);
    await zkB.delete(ZkData.ControllerZNode.path);
    const b = controller(11, zkB);
    await b.startup();
    assert.equal(b.isActive, true);
    assert.ok(b.epoch > a.epoch, 'B bumped the controller epoch');
    const stateBefore = await zkB.getData(ZkData.TopicPartitionStateZNode.path(TOPIC, 0));
    assert.ok(stateBefore);

    // A still believes it is the controller, and would move leadership to the preferred replica.
    assert.equal(a.isActive, true, 'A has not noticed');
    const attempt = await a.electLeaders(0, [{ topic: TOPIC, partition: 0 }]).then(
      (outcomes) =>
        `resolved: ${JSON.stringify(outcomes === undefined ? null : [...outcomes])}, A epoch ${a.epoch}, B epoch ${b.epoch}`,
      (err: Error) => err.message,
    );
    assert.match(attempt, /controller moved/);
    assert.equal(a.isActive, false, 'A resigned');
    const stateAfter = await zkB.getData(ZkData.TopicPartitionStateZNode.path(TOPIC, 0));
    assert.ok(stateAfter);
    assert.equal(stateAfter.stat.version, stateBefore.stat.version, 'A wrote nothing');
    assert.equal(ZkData.TopicPartitionStateZNode.decode(stateAfter.data, 0, 'state').leader, 2);

    // B, the real controller, may.
    const outcomes = await b.electLeaders(0, [{ topic: TOPIC, partition: 0 }]);
    assert.equal(outcomes?.get(`${TOPIC}-0`)?.errorCode, 0);
    const elected = await zkB.getData(ZkData.TopicPartitionStateZNode.path(TOPIC, 0));
    assert.ok(elected);
    const decoded = ZkData.TopicPartitionStateZNode.decode(elected.data, elected.stat.version, 'state');
    assert.deepEqual([decoded.leader, decoded.leaderEpoch, decoded.controllerEpoch], [1, 5, b.epoch]);
  });
});
