import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberSubscription } from '@samsa/client';
import { type AssignmentConfigs, assignTasks } from '../../src/runtime/high-availability-task-assignor.js';
import { StreamsPartitionAssignor } from '../../src/runtime/streams-partition-assignor.js';
import {
  type AssignmentInfo,
  decodeAssignmentInfo,
  decodeSubscriptionInfo,
  encodeAssignmentInfo,
  encodeSubscriptionInfo,
  LATEST_OFFSET,
  type SubscriptionInfo,
} from '../../src/runtime/streams-user-data.js';

const TASKS = ['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3'];
const ALL = new Set(TASKS);
const CONFIGS: AssignmentConfigs = { numStandbyReplicas: 0, acceptableRecoveryLag: 10_000n, maxWarmupReplicas: 2 };

/** A member that ran `prevActive`, holds `prevStandby`, with `lags` for the others (0 by default). */
const client = (
  memberId: string,
  prevActive: readonly string[] = [],
  prevStandby: readonly string[] = [],
  lags: Record<string, bigint> = {},
) => ({
  memberId,
  prevActive: new Set(prevActive),
  prevStandby: new Set(prevStandby),
  lag: (task: string) => (prevActive.includes(task) ? 0n : (lags[task] ?? 0n)),
});

test('subscription user data round-trips; v1 data reads as running and standby tasks; unknown bytes are not ours', () => {
  const info: SubscriptionInfo = {
    processId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    userEndPoint: 'localhost:7001',
    taskOffsetSums: new Map([
      ['0_1', LATEST_OFFSET],
      ['1_1', LATEST_OFFSET],
      ['0_2', 12_345_678_901n],
    ]),
  };
  assert.deepEqual(decodeSubscriptionInfo(encodeSubscriptionInfo(info)), info);
  const noEndpoint = { ...info, userEndPoint: undefined };
  assert.deepEqual(decodeSubscriptionInfo(encodeSubscriptionInfo(noEndpoint)), noEndpoint);
  // Version 1 (Samsa before KIP-441): previous active, then standby task ids.
  const v1 = Buffer.concat([
    Buffer.from([0, 0, 0, 1]),
    Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex'),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
    Buffer.from([0, 0, 0, 1, 0, 3, ...Buffer.from('0_1')]),
    Buffer.from([0, 0, 0, 1, 0, 3, ...Buffer.from('0_2')]),
  ]);
  assert.deepEqual(
    decodeSubscriptionInfo(v1)?.taskOffsetSums,
    new Map([
      ['0_1', LATEST_OFFSET],
      ['0_2', 0n],
    ]),
  );
  assert.equal(decodeSubscriptionInfo(Buffer.from('something else entirely, 24+ bytes')), undefined);
  assert.equal(decodeSubscriptionInfo(encodeSubscriptionInfo(info).subarray(0, 30)), undefined);
  assert.equal(decodeSubscriptionInfo(null), undefined);
});

test('assignment user data round-trips; v1 and garbage read as no probing rebalance', () => {
  const info: AssignmentInfo = { standbyTasks: ['0_1', '1_3'], nextProbingRebalanceMs: 1_765_000_000_000 };
  assert.deepEqual(decodeAssignmentInfo(encodeAssignmentInfo(info)), info);
  const v1 = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 3, ...Buffer.from('0_1')]);
  assert.deepEqual(decodeAssignmentInfo(v1), { standbyTasks: ['0_1'], nextProbingRebalanceMs: -1 });
  assert.deepEqual(decodeAssignmentInfo(Buffer.from('nonsense bytes')), {
    standbyTasks: [],
    nextProbingRebalanceMs: -1,
  });
});

test('a joining member that is caught up gets half the tasks at once; the others stay where they ran', () => {
  const { active, standby, probingRebalanceNeeded } = assignTasks(
    TASKS,
    ALL,
    [client('a', TASKS), client('b')],
    CONFIGS,
  );
  assert.deepEqual(active.get('a'), ['0_0', '0_1', '0_2', '0_3']);
  assert.deepEqual(active.get('b'), ['1_0', '1_1', '1_2', '1_3']);
  assert.deepEqual([...standby.values()].flat(), []);
  assert.equal(probingRebalanceNeeded, false);
});

test('standbys go to another member than the active one, and move to active on failover', () => {
  const configs = { ...CONFIGS, numStandbyReplicas: 1 };
  const first = assignTasks(TASKS, ALL, [client('a'), client('b')], configs);
  for (const [member, tasks] of first.standby) {
    const other = member === 'a' ? 'b' : 'a';
    assert.deepEqual(tasks, first.active.get(other), `${member} keeps standbys of what ${other} runs`);
  }
  // b is gone: a takes everything, b's tasks preferably where their standbys were (a).
  const after = assignTasks(TASKS, ALL, [client('a', first.active.get('a'), first.standby.get('a'))], configs);
  assert.deepEqual(after.active.get('a'), TASKS);
  assert.deepEqual(after.standby.get('a'), [], 'no other member to hold standbys');
  // Three members and two replicas: every task on three distinct members.
  const three = assignTasks(TASKS, ALL, [client('a'), client('b'), client('c')], { ...configs, numStandbyReplicas: 2 });
  for (const task of TASKS) {
    const holders = ['a', 'b', 'c'].filter(
      (m) => three.active.get(m)?.includes(task) || three.standby.get(m)?.includes(task),
    );
    assert.deepEqual(holders, ['a', 'b', 'c'], task);
  }
});

test('KIP-441: a member far behind gets warm-ups, not the stateful tasks; stateless ones even out the load', () => {
  const stateful = new Set(['1_0', '1_1', '1_2', '1_3']);
  const behind = { '1_0': 50_000n, '1_1': 50_000n, '1_2': 50_000n, '1_3': 50_000n };
  const result = assignTasks(TASKS, stateful, [client('a', TASKS), client('b', [], [], behind)], CONFIGS);
  assert.deepEqual(result.active.get('a'), ['1_0', '1_1', '1_2', '1_3'], 'a keeps every stateful task');
  assert.deepEqual(result.active.get('b'), ['0_0', '0_1', '0_2', '0_3'], 'b runs the stateless ones');
  assert.deepEqual(
    result.warmup.get('b'),
    ['1_2', '1_3'],
    'two warm-ups (max.warmup.replicas) where balance wants them',
  );
  assert.deepEqual(result.standby.get('b'), ['1_2', '1_3'], 'warm-ups are sent as standbys');
  assert.equal(result.probingRebalanceNeeded, true);
  // One warm-up at a time: the probing rebalance is still needed for the other.
  const one = assignTasks(TASKS, stateful, [client('a', TASKS), client('b', [], [], behind)], {
    ...CONFIGS,
    maxWarmupReplicas: 1,
  });
  assert.deepEqual(one.warmup.get('b'), ['1_2']);
  assert.equal(one.probingRebalanceNeeded, true);

  // The probing rebalance: b's warm-ups are within acceptable.recovery.lag now, so they move.
  const warm = { ...behind, '1_2': 9_000n, '1_3': 0n };
  const probed = assignTasks(
    TASKS,
    stateful,
    [client('a', ['1_0', '1_1', '1_2', '1_3']), client('b', ['0_0', '0_1', '0_2', '0_3'], ['1_2', '1_3'], warm)],
    CONFIGS,
  );
  assert.deepEqual(probed.active.get('a'), ['0_2', '0_3', '1_0', '1_1']);
  assert.deepEqual(probed.active.get('b'), ['0_0', '0_1', '1_2', '1_3']);
  assert.deepEqual([...probed.warmup.values()].flat(), []);
  assert.equal(probed.probingRebalanceNeeded, false);
});

test('KIP-441: with the owner gone and nobody caught up, a task goes to the least lagging member', () => {
  const stateful = new Set(['1_0']);
  const result = assignTasks(
    ['1_0'],
    stateful,
    [
      client('a', [], [], { '1_0': 40_000n }),
      client('b', [], ['1_0'], { '1_0': 25_000n }),
      client('c', [], [], { '1_0': 40_000n }),
    ],
    CONFIGS,
  );
  assert.deepEqual(result.active.get('b'), ['1_0']);
  assert.equal(result.probingRebalanceNeeded, false, 'it is where balance wants it too');
});

test('the assignor lists the changelogs, weighs lags, and sends standbys, warm-ups and the probing time', async () => {
  const topics = new Map([
    [0, ['lines']],
    [1, ['app-counts-repartition']],
  ]);
  const changelogs = new Map([
    [0, []],
    [1, ['app-counts-changelog']],
  ]);
  const listed: string[] = [];
  const heard: AssignmentInfo[] = [];
  const assignor = (sums: Map<string, bigint>, process = 1) =>
    new StreamsPartitionAssignor({
      info: () => ({
        processId: `00000000-0000-0000-0000-00000000000${process}`,
        userEndPoint: undefined,
        taskOffsetSums: sums,
      }),
      topicsBySubtopology: topics,
      changelogsBySubtopology: changelogs,
      ...CONFIGS,
      probingRebalanceIntervalMs: 600_000,
      endOffsets: async (tps) => {
        listed.push(...tps.map((tp) => `${tp.topic}-${tp.partition}`));
        return new Map(tps.map((tp) => [`${tp.topic}:${tp.partition}`, 30_000n]));
      },
      onAssignmentInfo: (info) => heard.push(info),
      nowMs: () => 1_000,
    });
  const running = assignor(new Map(TASKS.map((t) => [t, LATEST_OFFSET])));
  // b holds a checkpoint of 1_0 at 25,000 (5,000 behind: caught up) and nothing else.
  const joining = assignor(new Map([['1_0', 25_000n]]), 2);
  const sub = (memberId: string, userData: Buffer): MemberSubscription => ({
    memberId,
    groupInstanceId: null,
    topics: ['lines', 'app-counts-repartition'],
    userData,
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
  });
  const result = await running.assign(
    new Map([
      ['lines', 4],
      ['app-counts-repartition', 4],
    ]),
    new Map([
      ['m-a', sub('m-a', running.subscriptionUserData())],
      ['m-b', sub('m-b', joining.subscriptionUserData())],
    ]),
  );
  assert.deepEqual(
    listed.sort(),
    [0, 1, 2, 3].map((p) => `app-counts-changelog-${p}`),
  );
  const partitions = (m: string) => result.get(m)?.partitions.map((tp) => `${tp.topic}-${tp.partition}`);
  assert.deepEqual(partitions('m-a'), [
    'lines-0',
    'app-counts-repartition-1',
    'app-counts-repartition-2',
    'app-counts-repartition-3',
  ]);
  assert.deepEqual(partitions('m-b'), ['lines-1', 'lines-2', 'lines-3', 'app-counts-repartition-0']);
  const b = decodeAssignmentInfo(result.get('m-b')?.userData);
  // 1_0 moved to b at once (caught up from its checkpoint); 1_3 waits for its warm-up.
  assert.deepEqual(b, { standbyTasks: ['1_3'], nextProbingRebalanceMs: -1 });
  // Only the leader's own member is told when to come back for the probing rebalance (as Java).
  assert.equal(decodeAssignmentInfo(result.get('m-a')?.userData).nextProbingRebalanceMs, 601_000);
  joining.onAssignment({ partitions: [], userData: result.get('m-b')?.userData ?? null });
  assert.deepEqual(heard, [b]);
});

test('KIP-441 edge cases: a state ahead of the changelog counts as nothing; unknown lags keep tasks where they ran', async () => {
  const topics = new Map([[1, ['app-counts-repartition']]]);
  const changelogs = new Map([[1, ['app-counts-changelog']]]);
  const TASKS1 = ['1_0', '1_1', '1_2', '1_3'];
  const assignor = (sums: Map<string, bigint>, endOffsets: () => Promise<Map<string, bigint>>) =>
    new StreamsPartitionAssignor({
      info: () => ({
        processId: '00000000-0000-0000-0000-000000000002',
        userEndPoint: undefined,
        taskOffsetSums: sums,
      }),
      topicsBySubtopology: topics,
      changelogsBySubtopology: changelogs,
      ...CONFIGS,
      probingRebalanceIntervalMs: 600_000,
      endOffsets,
      onAssignmentInfo: () => {},
      nowMs: () => 1_000,
    });
  const sub = (memberId: string, userData: Buffer): MemberSubscription => ({
    memberId,
    groupInstanceId: null,
    topics: ['app-counts-repartition'],
    userData,
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
  });
  const ends = async () => new Map(TASKS1.map((t) => [`app-counts-changelog:${t.slice(2)}`, 30_000n]));
  const running = assignor(new Map(TASKS1.map((t) => [t, LATEST_OFFSET])), ends);
  // b's checkpoints say 50,000 for every task: more than the changelogs hold (they were reset).
  const stale = assignor(new Map(TASKS1.map((t) => [t, 50_000n])), ends);
  const members = (b: StreamsPartitionAssignor) =>
    new Map([
      ['m-a', sub('m-a', running.subscriptionUserData())],
      ['m-b', sub('m-b', b.subscriptionUserData())],
    ]);
  const counts = new Map([['app-counts-repartition', 4]]);
  const first = await running.assign(counts, members(stale));
  assert.equal(first.get('m-b')?.partitions.length, 0, 'b is not caught up: it only warms up');
  assert.deepEqual(decodeAssignmentInfo(first.get('m-b')?.userData).standbyTasks, ['1_2', '1_3']);

  // The changelogs' ends cannot be listed: a keeps all four (over its share), b gets none, and
  // the group comes back at the probing interval.
  const unlisted = assignor(new Map(TASKS1.map((t) => [t, LATEST_OFFSET])), async () => {
    throw new Error('no leader');
  });
  const fallback = await unlisted.assign(counts, members(assignor(new Map(), ends)));
  assert.equal(fallback.get('m-a')?.partitions.length, 4);
  assert.equal(fallback.get('m-b')?.partitions.length, 0);
  assert.equal(decodeAssignmentInfo(fallback.get('m-a')?.userData).nextProbingRebalanceMs, 601_000);
});
