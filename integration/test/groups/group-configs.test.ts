/**
 * Group configs (Kafka 4's resource type GROUP = 32) on a single node, through Samsa's admin
 * client: defaults come from the broker, overrides are validated against the broker's bounds and
 * survive a restart, and the KIP-848 coordinator applies `consumer.heartbeat.interval.ms` and
 * `consumer.session.timeout.ms` to the group that has them (seen in a raw ConsumerGroupHeartbeat).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, KafkaError } from '@samsa/client';
import { ConsumerGroupHeartbeatApi, CreateTopicsApi, ErrorCode, FindCoordinatorApi } from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: raw responses are checked field by field.
type Body = any;

describe('group configs (resource type GROUP)', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  let admin: Admin;

  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'group.consumer.heartbeat.interval.ms': 500 } });
    dataDir = broker.dataDir;
    admin = new Admin({ 'bootstrap.servers': `127.0.0.1:${broker.port}` });
  });
  after(async () => {
    await admin?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function describeGroup(groupId: string): Promise<Map<string, { value: string | null; source: string }>> {
    const [described] = await admin.describeConfigs([{ type: 'group', name: groupId }]);
    return new Map(described?.configs.map((c) => [c.name, { value: c.value, source: c.source }]));
  }

  async function refusal(groupId: string, name: string, value: string): Promise<KafkaError> {
    try {
      await admin.incrementalAlterConfigs([{ type: 'group', name: groupId, ops: [{ name, op: 'set', value }] }]);
    } catch (err) {
      assert.ok(err instanceof KafkaError, String(err));
      return err;
    }
    assert.fail(`${name}=${value} was accepted`);
  }

  test('any group id has the defaults, taken from the broker configs', async () => {
    const configs = await describeGroup('no-such-group');
    assert.deepEqual(configs.get('consumer.heartbeat.interval.ms'), { value: '500', source: 'DEFAULT_CONFIG' });
    assert.deepEqual(configs.get('consumer.session.timeout.ms'), { value: '45000', source: 'DEFAULT_CONFIG' });
    assert.deepEqual(configs.get('share.auto.offset.reset'), { value: 'latest', source: 'DEFAULT_CONFIG' });
    assert.deepEqual(configs.get('share.record.lock.duration.ms'), { value: '30000', source: 'DEFAULT_CONFIG' });
    assert.equal(configs.size, 11);
  });

  test('overrides are validated against the broker bounds and described as GROUP_CONFIG', async () => {
    const group = 'configured-group';
    await admin.incrementalAlterConfigs([
      {
        type: 'group',
        name: group,
        ops: [
          { name: 'consumer.session.timeout.ms', op: 'set', value: '50000' },
          { name: 'share.auto.offset.reset', op: 'set', value: 'earliest' },
          { name: 'share.isolation.level', op: 'set', value: 'read_committed' },
        ],
      },
    ]);
    let configs = await describeGroup(group);
    assert.deepEqual(configs.get('consumer.session.timeout.ms'), { value: '50000', source: 'GROUP_CONFIG' });
    assert.deepEqual(configs.get('share.auto.offset.reset'), { value: 'earliest', source: 'GROUP_CONFIG' });

    const belowMin = await refusal(group, 'consumer.session.timeout.ms', '1000');
    assert.equal(belowMin.errorCode, ErrorCode.INVALID_CONFIG);
    assert.match(
      belowMin.message,
      /consumer\.session\.timeout\.ms must be greater than or equal to group\.consumer\.min\.session\.timeout\.ms/,
    );
    const aboveMax = await refusal(group, 'share.record.lock.duration.ms', '600000');
    assert.match(aboveMax.message, /share\.record\.lock\.duration\.ms must be less than or equal to/);
    assert.match((await refusal(group, 'no.such.config', '1')).message, /Unknown group config name: no\.such\.config/);
    assert.match((await refusal(group, 'share.auto.offset.reset', 'sometimes')).message, /share\.auto\.offset\.reset/);
    await admin.incrementalAlterConfigs([
      { type: 'group', name: group, ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'by_duration:PT1H' }] },
    ]);
    configs = await describeGroup(group);
    assert.deepEqual(configs.get('share.auto.offset.reset'), { value: 'by_duration:PT1H', source: 'GROUP_CONFIG' });
    assert.deepEqual(configs.get('consumer.session.timeout.ms'), { value: '50000', source: 'GROUP_CONFIG' });
  });

  test('a refused change keeps the overrides; a restart keeps them too', async () => {
    const group = 'kept-group';
    await admin.incrementalAlterConfigs([
      { type: 'group', name: group, ops: [{ name: 'consumer.session.timeout.ms', op: 'set', value: '55000' }] },
    ]);
    await assert.rejects(
      admin.incrementalAlterConfigs([
        { type: 'group', name: group, ops: [{ name: 'consumer.heartbeat.interval.ms', op: 'set', value: '99' }] },
      ]),
      /consumer\.heartbeat\.interval\.ms must be greater than or equal to/,
    );
    await admin.close();
    await broker.stop();
    broker = await BrokerProcess.start({ dataDir, properties: { 'group.consumer.heartbeat.interval.ms': 500 } });
    admin = new Admin({ 'bootstrap.servers': `127.0.0.1:${broker.port}` });
    const configs = await describeGroup(group);
    assert.deepEqual(configs.get('consumer.session.timeout.ms'), { value: '55000', source: 'GROUP_CONFIG' });
    await admin.incrementalAlterConfigs([
      { type: 'group', name: group, ops: [{ name: 'consumer.session.timeout.ms', op: 'delete' }] },
    ]);
    assert.deepEqual((await describeGroup(group)).get('consumer.session.timeout.ms'), {
      value: '45000',
      source: 'DEFAULT_CONFIG',
    });
  });

  test('the consumer group coordinator gives each group its own heartbeat interval', async () => {
    const topic = 'group-configs-topic';
    await admin.incrementalAlterConfigs([
      {
        type: 'group',
        name: 'slow-group',
        ops: [{ name: 'consumer.heartbeat.interval.ms', op: 'set', value: '7000' }],
      },
    ]);
    const client = await RawClient.connect(broker.port);
    try {
      const created = await client.send<Body>(CreateTopicsApi, 7, {
        topics: [{ name: topic, numPartitions: 1, replicationFactor: 1 }],
        timeoutMs: 10000,
      });
      assert.equal(created.topics[0].errorCode, ErrorCode.NONE);
      const join = async (groupId: string): Promise<Body> => {
        // FindCoordinator creates __consumer_offsets; its partitions then load.
        for (;;) {
          const found = await client.send<Body>(FindCoordinatorApi, 4, { keyType: 0, coordinatorKeys: [groupId] });
          if (found.coordinators[0].errorCode === ErrorCode.NONE) break;
          await sleep(100);
        }
        for (;;) {
          const response = await client.send<Body>(ConsumerGroupHeartbeatApi, 1, {
            groupId,
            memberId: `${groupId}-member`,
            memberEpoch: 0,
            instanceId: null,
            rackId: null,
            rebalanceTimeoutMs: 30000,
            subscribedTopicNames: [topic],
            subscribedTopicRegex: null,
            serverAssignor: null,
            topicPartitions: [],
          });
          if (
            response.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS &&
            response.errorCode !== ErrorCode.NOT_COORDINATOR
          )
            return response;
          await sleep(100);
        }
      };
      const slow = await join('slow-group');
      assert.equal(slow.errorCode, ErrorCode.NONE, slow.errorMessage);
      assert.equal(slow.heartbeatIntervalMs, 7000);
      const other = await join('default-group');
      assert.equal(other.errorCode, ErrorCode.NONE, other.errorMessage);
      assert.equal(other.heartbeatIntervalMs, 500);
    } finally {
      client.close();
    }
  });
});
