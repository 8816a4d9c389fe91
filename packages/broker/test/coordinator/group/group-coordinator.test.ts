/**
 * The runtime around the shards: per-partition serialization, responses released only after the
 * append, error mapping and rollback on append failure, loading/unloading, and timers driven by
 * an injected scheduler. An in-memory `CoordinatorPartitionLog`, a manual clock, no sockets.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, type JoinGroupResponseInput, KafkaError } from '@samsa/protocol';
import type { JoinGroupArgs } from '../../../src/coordinator/group/classic-group-membership.js';
import { GroupCoordinator } from '../../../src/coordinator/group/group-coordinator.js';
import type { GroupCoordinatorConfig } from '../../../src/coordinator/group/group-coordinator-config.js';
import { decodeGroupCoordinatorRecord } from '../../../src/coordinator/group/group-coordinator-record.js';
import { partitionForGroup } from '../../../src/coordinator/group/partition-for-group.js';
import { subscription } from './support/consumer-metadata.js';
import { InMemoryCoordinatorLog } from './support/in-memory-coordinator-log.js';
import { ManualScheduler, settle } from './support/manual-scheduler.js';

function setup(config: Partial<GroupCoordinatorConfig> = {}, log = new InMemoryCoordinatorLog()) {
  const scheduler = new ManualScheduler();
  let uuid = 0;
  const coordinator = new GroupCoordinator({
    log,
    scheduler,
    config: { offsetsTopicNumPartitions: 1, groupInitialRebalanceDelayMs: 0, ...config },
    generateUuid: () => `uuid${++uuid}`,
  });
  return { coordinator, scheduler, log };
}

function joinArgs(args: Partial<JoinGroupArgs> = {}): JoinGroupArgs {
  return {
    groupId: 'group',
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription(['topic']) }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: true,
    supportSkippingAssignment: false,
    ...args,
  };
}

function commitArgs(groupId: string, offset: bigint) {
  return {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1n,
    unknownGroupErrorCode: ErrorCode.ILLEGAL_GENERATION,
    topics: [
      {
        name: 't',
        partitions: [
          {
            partitionIndex: 0,
            committedOffset: offset,
            committedLeaderEpoch: -1,
            commitTimestamp: -1n,
            committedMetadata: null,
          },
        ],
      },
    ],
  };
}

async function committed(coordinator: GroupCoordinator, groupId: string): Promise<bigint | undefined> {
  const response = await coordinator.fetchOffsets(groupId, [{ name: 't', partitionIndexes: [0] }], false);
  return response.topics?.[0]?.partitions?.[0]?.committedOffset;
}

/** Resolves the promise's state without waiting for it. */
function track<T>(promise: Promise<T>): { value: T | undefined; done: boolean } {
  const state: { value: T | undefined; done: boolean } = { value: undefined, done: false };
  void promise.then((value) => {
    state.value = value;
    state.done = true;
  });
  return state;
}

/** One member through JoinGroup x2 and SyncGroup to Stable. */
async function stableMember(coordinator: GroupCoordinator, scheduler: ManualScheduler, groupId = 'group') {
  const first = await coordinator.joinGroup(joinArgs({ groupId }));
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  const memberId = first.memberId as string;
  const join = track(coordinator.joinGroup(joinArgs({ groupId, memberId })));
  await scheduler.advance(0);
  assert.equal(join.done, true);
  const joined = join.value as JoinGroupResponseInput;
  const generationId = joined.generationId as number;
  const sync = await coordinator.syncGroup({
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId, assignment: Buffer.from('a') }],
  });
  assert.equal(sync.errorCode, ErrorCode.NONE);
  return { memberId, generationId };
}

describe('GroupCoordinator', () => {
  test('a member joins, syncs, commits and fetches through the runtime', async () => {
    const { coordinator, scheduler, log } = setup();
    await coordinator.onElection(0);
    const { memberId, generationId } = await stableMember(coordinator, scheduler);
    const topics = await coordinator.commitOffsets({
      ...commitArgs('group', 42n),
      memberId,
      generationIdOrMemberEpoch: generationId,
    });
    assert.equal(topics[0]?.partitions?.[0]?.errorCode, ErrorCode.NONE);
    assert.equal(await committed(coordinator, 'group'), 42n);
    assert.deepEqual(
      log.records(0).map((r) => decodeGroupCoordinatorRecord(r).type),
      ['group-metadata', 'group-metadata', 'offset-commit'],
    );
    const [described] = await coordinator.describeGroups(['group']);
    assert.equal(described?.groupState, 'Stable');
  });

  test('responses wait until the records are appended; later requests wait their turn', async () => {
    const { coordinator, log } = setup();
    await coordinator.onElection(0);
    log.holdAppends();
    const commit = track(coordinator.commitOffsets(commitArgs('group', 7n)));
    const fetch = track(committed(coordinator, 'group'));
    await settle();
    assert.equal(commit.done, false, 'not answered before the append completes');
    assert.equal(fetch.done, false, 'a read queued behind the commit does not see uncommitted state');
    log.releaseAppends();
    await settle();
    assert.equal(commit.value?.[0]?.partitions?.[0]?.errorCode, ErrorCode.NONE);
    assert.equal(fetch.value, 7n);
  });

  test('a failed append is answered with the mapped error and changes nothing', async () => {
    const { coordinator, log } = setup();
    await coordinator.onElection(0);
    await coordinator.commitOffsets(commitArgs('group', 1n));
    const cases: [Error, number][] = [
      [new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER), ErrorCode.NOT_COORDINATOR],
      [new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR), ErrorCode.NOT_COORDINATOR],
      [new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS), ErrorCode.COORDINATOR_NOT_AVAILABLE],
      [new KafkaError(ErrorCode.REQUEST_TIMED_OUT), ErrorCode.COORDINATOR_NOT_AVAILABLE],
      [new KafkaError(ErrorCode.RECORD_LIST_TOO_LARGE), ErrorCode.UNKNOWN_SERVER_ERROR],
      [new Error('disk on fire'), ErrorCode.UNKNOWN_SERVER_ERROR],
    ];
    for (const [error, expected] of cases) {
      log.failAppends = error;
      const response = await coordinator.commitOffsets(commitArgs('group', 2n));
      assert.equal(response[0]?.partitions?.[0]?.errorCode, expected, error.message);
      log.failAppends = undefined;
      assert.equal(await committed(coordinator, 'group'), 1n);
    }
    log.failAppends = new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const join = await coordinator.joinGroup(joinArgs({ groupId: 'fresh' }));
    assert.equal(join.errorCode, ErrorCode.NOT_COORDINATOR);
    log.failAppends = undefined;
    const [described] = await coordinator.describeGroups(['fresh']);
    assert.equal(described?.groupState, 'Dead', 'the group the failed JoinGroup created is gone');
  });

  test('while a partition loads: COORDINATOR_LOAD_IN_PROGRESS (heartbeat NONE, SyncGroup REBALANCE_IN_PROGRESS)', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    class GatedLog extends InMemoryCoordinatorLog {
      override async *readAll(partition: number) {
        await gate;
        yield* super.readAll(partition);
      }
    }
    const { coordinator } = setup({}, new GatedLog());
    const loaded = track(coordinator.onElection(0));
    await settle();
    assert.equal(coordinator.partitionStatus(0), 'loading');
    assert.equal((await coordinator.joinGroup(joinArgs())).errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    assert.equal(
      (await coordinator.heartbeat({ groupId: 'group', generationId: 1, memberId: 'm', groupInstanceId: null }))
        .errorCode,
      ErrorCode.NONE,
    );
    const sync = await coordinator.syncGroup({
      groupId: 'group',
      generationId: 1,
      memberId: 'm',
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    assert.equal(sync.errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    assert.equal(
      (await coordinator.commitOffsets(commitArgs('group', 1n)))[0]?.partitions?.[0]?.errorCode,
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    );
    assert.equal(
      (await coordinator.fetchOffsets('group', null, false)).errorCode,
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    );
    assert.equal((await coordinator.listGroups([], [])).errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    open();
    await settle();
    assert.equal(loaded.done, true);
    assert.equal(coordinator.partitionStatus(0), 'active');
    assert.equal((await coordinator.joinGroup(joinArgs())).errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  });

  test('groups of partitions this broker does not lead: NOT_COORDINATOR', async () => {
    const { coordinator } = setup({ offsetsTopicNumPartitions: 2 });
    assert.equal(partitionForGroup('a', 2), 1);
    assert.equal(partitionForGroup('b', 2), 0);
    await coordinator.onElection(0);
    assert.equal(coordinator.partitionStatus(1), 'none');
    assert.equal((await coordinator.joinGroup(joinArgs({ groupId: 'a' }))).errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal(
      (await coordinator.commitOffsets(commitArgs('a', 1n)))[0]?.partitions?.[0]?.errorCode,
      ErrorCode.NOT_COORDINATOR,
    );
    assert.equal((await coordinator.describeGroups(['a']))[0]?.errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal((await coordinator.joinGroup(joinArgs({ groupId: 'b' }))).errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  });

  test('INVALID_GROUP_ID for an empty group id in the membership APIs only', async () => {
    const { coordinator } = setup();
    await coordinator.onElection(0);
    assert.equal((await coordinator.joinGroup(joinArgs({ groupId: '' }))).errorCode, ErrorCode.INVALID_GROUP_ID);
    assert.equal(
      (await coordinator.heartbeat({ groupId: '', generationId: 1, memberId: 'm', groupInstanceId: null })).errorCode,
      ErrorCode.INVALID_GROUP_ID,
    );
    assert.equal((await coordinator.leaveGroup('', [])).errorCode, ErrorCode.INVALID_GROUP_ID);
    assert.equal((await coordinator.commitOffsets(commitArgs('', 3n)))[0]?.partitions?.[0]?.errorCode, ErrorCode.NONE);
  });

  test('resignation answers parked JoinGroups with NOT_COORDINATOR and stops serving the partition', async () => {
    const { coordinator, scheduler } = setup({ groupInitialRebalanceDelayMs: 3_000 });
    await coordinator.onElection(0);
    const first = await coordinator.joinGroup(joinArgs());
    const parked = track(coordinator.joinGroup(joinArgs({ memberId: first.memberId as string })));
    await settle();
    assert.equal(parked.done, false);
    await coordinator.onResignation(0);
    assert.deepEqual(parked.value, { memberId: first.memberId, errorCode: ErrorCode.NOT_COORDINATOR });
    assert.equal(coordinator.partitionStatus(0), 'none');
    assert.equal(scheduler.pendingCount(), 0, 'its timers are cancelled');
    assert.equal((await coordinator.joinGroup(joinArgs())).errorCode, ErrorCode.NOT_COORDINATOR);
  });

  test('session timeouts fire through the scheduler and store the emptied group', async () => {
    const { coordinator, scheduler, log } = setup();
    await coordinator.onElection(0);
    const { memberId, generationId } = await stableMember(coordinator, scheduler);
    await scheduler.advance(9_000);
    assert.equal(
      (await coordinator.heartbeat({ groupId: 'group', generationId, memberId, groupInstanceId: null })).errorCode,
      ErrorCode.NONE,
    );
    await scheduler.advance(9_999);
    assert.equal((await coordinator.describeGroups(['group']))[0]?.groupState, 'Stable');
    await scheduler.advance(1);
    assert.equal((await coordinator.describeGroups(['group']))[0]?.groupState, 'Empty');
    const last = decodeGroupCoordinatorRecord(log.records(0).at(-1) as never);
    assert.ok(last.type === 'group-metadata');
    assert.equal(last.value?.generation, generationId + 1);
    assert.deepEqual(last.value?.members, []);
  });

  test('a timer whose records fail to append is retried after a backoff', async () => {
    const { coordinator, scheduler, log } = setup();
    await coordinator.onElection(0);
    await stableMember(coordinator, scheduler);
    log.failAppends = new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS);
    await scheduler.advance(10_000);
    assert.equal((await coordinator.describeGroups(['group']))[0]?.groupState, 'Stable');
    const attempts = log.appendCount;
    await scheduler.advance(500);
    assert.equal(log.appendCount, attempts, 'no retry before the backoff');
    log.failAppends = undefined;
    await scheduler.advance(500);
    assert.equal((await coordinator.describeGroups(['group']))[0]?.groupState, 'Empty');
  });

  test('a coordinator restarted on the same log serves the same groups and offsets', async () => {
    const { coordinator, scheduler, log } = setup();
    await coordinator.onElection(0);
    await stableMember(coordinator, scheduler);
    await coordinator.commitOffsets(commitArgs('simple', 11n));
    const before = await coordinator.describeGroups(['group', 'simple']);
    await coordinator.close();
    const restarted = setup({}, log).coordinator;
    await restarted.onElection(0);
    assert.deepEqual(await restarted.describeGroups(['group', 'simple']), before);
    assert.equal(await committed(restarted, 'simple'), 11n);
  });

  test('a partition whose records do not decode fails to load and is not served', async () => {
    const log = new InMemoryCoordinatorLog();
    log.entries(0).push({
      type: 'record',
      key: Buffer.from('0001ff', 'hex'),
      value: null,
      offset: 0,
      producerId: -1,
      producerEpoch: -1,
      transactional: false,
    });
    const { coordinator } = setup({}, log);
    await assert.rejects(coordinator.onElection(0));
    assert.equal(coordinator.partitionStatus(0), 'none');
    assert.equal((await coordinator.joinGroup(joinArgs())).errorCode, ErrorCode.NOT_COORDINATOR);
  });

  test('DeleteGroups and ListGroups across partitions', async () => {
    const { coordinator } = setup({ offsetsTopicNumPartitions: 2 });
    await coordinator.onElection(0);
    await coordinator.onElection(1);
    await coordinator.commitOffsets(commitArgs('a', 1n));
    await coordinator.commitOffsets(commitArgs('b', 1n));
    assert.deepEqual((await coordinator.listGroups([], [])).groups.map((g) => g.groupId).sort(), ['a', 'b']);
    assert.deepEqual(await coordinator.deleteGroups(['b', 'missing', 'a', 'b']), [
      { groupId: 'b', errorCode: ErrorCode.NONE },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
      { groupId: 'a', errorCode: ErrorCode.NONE },
    ]);
    assert.deepEqual((await coordinator.listGroups([], [])).groups, []);
  });
});
