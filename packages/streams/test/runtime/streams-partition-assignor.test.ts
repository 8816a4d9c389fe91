import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberSubscription } from '@samsa/client';
import { assignTasks } from '../../src/runtime/sticky-task-assignor.js';
import {
  decodeAssignmentInfo,
  decodeSubscriptionInfo,
  encodeSubscriptionInfo,
  StreamsPartitionAssignor,
  type SubscriptionInfo,
} from '../../src/runtime/streams-partition-assignor.js';

const client = (memberId: string, prevActive: string[] = [], prevStandby: string[] = []) => ({
  memberId,
  prevActive: new Set(prevActive),
  prevStandby: new Set(prevStandby),
});
const TASKS = ['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3'];

test('subscription user data round-trips; unknown bytes are not ours', () => {
  const info: SubscriptionInfo = {
    processId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    userEndPoint: 'localhost:7001',
    prevActiveTasks: ['0_1', '1_1'],
    prevStandbyTasks: ['0_2'],
  };
  assert.deepEqual(decodeSubscriptionInfo(encodeSubscriptionInfo(info)), info);
  const noEndpoint = { ...info, userEndPoint: undefined };
  assert.deepEqual(decodeSubscriptionInfo(encodeSubscriptionInfo(noEndpoint)), noEndpoint);
  assert.equal(decodeSubscriptionInfo(Buffer.from('something else entirely, 24+ bytes')), undefined);
  assert.equal(decodeSubscriptionInfo(encodeSubscriptionInfo(info).subarray(0, 30)), undefined);
  assert.equal(decodeSubscriptionInfo(null), undefined);
});

test('a joining member gets half the tasks; the others stay where they ran', () => {
  const { active, standby } = assignTasks(TASKS, [client('a', TASKS), client('b')], 0);
  assert.deepEqual(active.get('a'), ['0_0', '0_1', '0_2', '0_3']);
  assert.deepEqual(active.get('b'), ['1_0', '1_1', '1_2', '1_3']);
  assert.deepEqual([...standby.values()].flat(), []);
});

test('standbys go to another member than the active one, and move to active on failover', () => {
  const first = assignTasks(TASKS, [client('a'), client('b')], 1);
  for (const [member, tasks] of first.standby) {
    const other = member === 'a' ? 'b' : 'a';
    assert.deepEqual(tasks, first.active.get(other), `${member} keeps standbys of what ${other} runs`);
  }
  // b is gone: a takes everything, b's tasks preferably where their standbys were (a).
  const after = assignTasks(TASKS, [client('a', first.active.get('a'), first.standby.get('a'))], 1);
  assert.deepEqual(after.active.get('a'), TASKS);
  assert.deepEqual(after.standby.get('a'), [], 'no other member to hold standbys');
  // Three members and two replicas: every task on three distinct members.
  const three = assignTasks(TASKS, [client('a'), client('b'), client('c')], 2);
  for (const task of TASKS) {
    const holders = ['a', 'b', 'c'].filter(
      (m) => three.active.get(m)?.includes(task) || three.standby.get(m)?.includes(task),
    );
    assert.deepEqual(holders, ['a', 'b', 'c'], task);
  }
});

test('the assignor gives each member the partitions of its active tasks and its standbys in the user data', () => {
  const info = (prevActive: string[]) => () => ({
    processId: '00000000-0000-0000-0000-000000000001',
    userEndPoint: undefined,
    prevActiveTasks: prevActive,
    prevStandbyTasks: [],
  });
  const topics = new Map([
    [0, ['lines']],
    [1, ['app-counts-repartition']],
  ]);
  const assignor = new StreamsPartitionAssignor(info(TASKS), topics, 1);
  const sub = (memberId: string, userData: Buffer): MemberSubscription => ({
    memberId,
    groupInstanceId: null,
    topics: ['lines', 'app-counts-repartition'],
    userData,
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
  });
  const result = assignor.assign(
    new Map([
      ['lines', 4],
      ['app-counts-repartition', 4],
    ]),
    new Map([
      ['m-a', sub('m-a', assignor.subscriptionUserData())],
      ['m-b', sub('m-b', new StreamsPartitionAssignor(info([]), topics, 1).subscriptionUserData())],
    ]),
  );
  assert.deepEqual(
    result.get('m-a')?.partitions.map((tp) => `${tp.topic}-${tp.partition}`),
    ['lines-0', 'lines-1', 'lines-2', 'lines-3'],
  );
  assert.deepEqual(decodeAssignmentInfo(result.get('m-a')?.userData ?? null), ['1_0', '1_1', '1_2', '1_3']);
  assert.deepEqual(decodeAssignmentInfo(result.get('m-b')?.userData ?? null), ['0_0', '0_1', '0_2', '0_3']);
});
