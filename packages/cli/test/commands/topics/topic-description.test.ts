import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DescribedTopic, describeLines } from '../../../src/commands/topics/topic-description.js';

const NONE = { underReplicated: false, unavailable: false, underMinIsr: false, atMinIsr: false, withOverrides: false };

const topic: DescribedTopic = {
  name: 't',
  topicId: 'cy_EIRuQSHiQqeMm9A2ZBA',
  configs: [['retention.ms', '1000']],
  minIsr: 2,
  markedForDeletion: false,
  partitions: [
    { partition: 1, leader: -1, replicas: [1, 2, 0], isr: [] },
    { partition: 0, leader: 0, replicas: [0, 1, 2], isr: [0, 1] },
    { partition: 2, leader: 2, replicas: [2, 0, 1], isr: [2, 0, 1] },
  ],
};
const line = (p: number, leader: string, replicas: string, isr: string, tail = '') =>
  `\tTopic: t\tPartition: ${p}\tLeader: ${leader}\tReplicas: ${replicas}\tIsr: ${isr}\tElr: N/A\tLastKnownElr: N/A${tail}`;

test("describeLines: Kafka's header and partition lines, partitions in order, 'none' without a leader", () => {
  assert.deepEqual(describeLines([topic], NONE, new Set([0, 1, 2])), [
    'Topic: t\tTopicId: cy_EIRuQSHiQqeMm9A2ZBA\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: retention.ms=1000',
    line(0, '0', '0,1,2', '0,1'),
    line(1, 'none', '1,2,0', ''),
    line(2, '2', '2,0,1', '2,0,1'),
  ]);
});

test('describeLines: the report filters print partitions only', () => {
  const live = new Set([0, 1]);
  const only = (filter: Partial<typeof NONE>) => describeLines([topic], { ...NONE, ...filter }, live);
  assert.deepEqual(only({ underReplicated: true }), [line(0, '0', '0,1,2', '0,1'), line(1, 'none', '1,2,0', '')]);
  // Partition 2's leader (broker 2) is not among the live brokers.
  assert.deepEqual(only({ unavailable: true }), [line(1, 'none', '1,2,0', ''), line(2, '2', '2,0,1', '2,0,1')]);
  assert.deepEqual(only({ underMinIsr: true }), [line(1, 'none', '1,2,0', '')]);
  assert.deepEqual(only({ atMinIsr: true }), [line(0, '0', '0,1,2', '0,1')]);
  assert.deepEqual(only({ withOverrides: true }), [describeLines([topic], NONE, live)[0]]);
  assert.deepEqual(describeLines([{ ...topic, configs: [] }], { ...NONE, withOverrides: true }, live), []);
});

test('describeLines: a topic queued for deletion, and one without a topic ID', () => {
  const marked = describeLines(
    [{ ...topic, topicId: null, markedForDeletion: true, partitions: [topic.partitions[1] as never] }],
    NONE,
    new Set(),
  );
  assert.deepEqual(marked, [
    'Topic: t\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: retention.ms=1000\tMarkedForDeletion: true',
    line(0, '0', '0,1,2', '0,1', '\tMarkedForDeletion: true'),
  ]);
});
