import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrokerConfig } from '../../../src/config/broker-config.js';
import {
  DEFAULT_GROUP_COORDINATOR_CONFIG,
  groupCoordinatorConfigFrom,
  offsetsRetentionMs,
} from '../../../src/coordinator/group/group-coordinator-config.js';

test("defaults are Kafka's", () => {
  assert.deepEqual(DEFAULT_GROUP_COORDINATOR_CONFIG, {
    groupMinSessionTimeoutMs: 6000,
    groupMaxSessionTimeoutMs: 1_800_000,
    groupInitialRebalanceDelayMs: 3000,
    groupMaxSize: 2_147_483_647,
    groupNewMemberJoinTimeoutMs: 300_000,
    offsetsTopicNumPartitions: 50,
    offsetMetadataMaxBytes: 4096,
    offsetsRetentionMinutes: 10_080,
    offsetsRetentionCheckIntervalMs: 600_000,
    consumerGroupAssignors: ['uniform', 'range'],
    consumerGroupSessionTimeoutMs: 45_000,
    consumerGroupHeartbeatIntervalMs: 5000,
    consumerGroupMaxSize: 2_147_483_647,
    consumerGroupMigrationPolicy: 'bidirectional',
    shareGroupSessionTimeoutMs: 45_000,
    shareGroupHeartbeatIntervalMs: 5000,
    shareGroupMaxSize: 200,
  });
  assert.equal(offsetsRetentionMs(DEFAULT_GROUP_COORDINATOR_CONFIG), 7 * 24 * 60 * 60 * 1000);
});

test('from the broker configuration, by Kafka config name', () => {
  const config = groupCoordinatorConfigFrom(
    new BrokerConfig(
      new Map([
        ['group.min.session.timeout.ms', '1000'],
        ['group.max.session.timeout.ms', '2000'],
        ['group.initial.rebalance.delay.ms', '0'],
        ['group.max.size', '7'],
        ['offsets.topic.num.partitions', '3'],
        ['offset.metadata.max.bytes', '100'],
        ['offsets.retention.minutes', '5'],
        ['offsets.retention.check.interval.ms', '1234'],
        ['group.consumer.assignors', 'range, org.apache.kafka.coordinator.group.assignor.UniformAssignor'],
        ['group.consumer.session.timeout.ms', '10000'],
        ['group.consumer.heartbeat.interval.ms', '1000'],
        ['group.consumer.max.size', '3'],
        ['group.consumer.migration.policy', 'UPGRADE'],
        ['group.share.session.timeout.ms', '20000'],
        ['group.share.heartbeat.interval.ms', '2000'],
        ['group.share.max.size', '9'],
      ]),
    ),
  );
  assert.deepEqual(config, {
    groupMinSessionTimeoutMs: 1000,
    groupMaxSessionTimeoutMs: 2000,
    groupInitialRebalanceDelayMs: 0,
    groupMaxSize: 7,
    groupNewMemberJoinTimeoutMs: 300_000,
    offsetsTopicNumPartitions: 3,
    offsetMetadataMaxBytes: 100,
    offsetsRetentionMinutes: 5,
    offsetsRetentionCheckIntervalMs: 1234,
    consumerGroupAssignors: ['range', 'uniform'],
    consumerGroupSessionTimeoutMs: 10_000,
    consumerGroupHeartbeatIntervalMs: 1000,
    consumerGroupMaxSize: 3,
    consumerGroupMigrationPolicy: 'upgrade',
    shareGroupSessionTimeoutMs: 20_000,
    shareGroupHeartbeatIntervalMs: 2000,
    shareGroupMaxSize: 9,
  });
});

test('group.consumer.migration.policy: one of four names in any case, as Kafka validates it', () => {
  const policyOf = (value: string) =>
    groupCoordinatorConfigFrom(new BrokerConfig(new Map([['group.consumer.migration.policy', value]])))
      .consumerGroupMigrationPolicy;
  assert.equal(policyOf('Disabled'), 'disabled');
  assert.equal(policyOf('downgrade'), 'downgrade');
  assert.throws(
    () => policyOf('sideways'),
    /group\.consumer\.migration\.policy.*String must be one of \(case insensitive\): bidirectional, upgrade, downgrade, disabled/,
  );
});
