/**
 * KIP-932 share group membership on the broker, spoken raw (ShareGroupHeartbeat v1,
 * ShareGroupDescribe v1, ListGroups v5), with `group.share.enable=true`: members join with their
 * subscription and take their part of the `simple` assignment at their next heartbeat (several
 * members share a partition when they outnumber the partitions), leave, are fenced when their
 * session expires, and get Kafka's errors; group configs set a group's heartbeat interval.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiVersionsApi,
  ConsumerGroupHeartbeatApi,
  CreateTopicsApi,
  ErrorCode,
  FindCoordinatorApi,
  IncrementalAlterConfigsApi,
  ListGroupsApi,
  OffsetCommitApi,
  ShareGroupDescribeApi,
  ShareGroupHeartbeatApi,
} from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: raw responses are checked field by field.
type Body = any;

const SESSION_TIMEOUT_MS = 3000;
/** The fenced group's own session timeout (a group config). */
const GROUP_SESSION_TIMEOUT_MS = 2000;

describe('share groups (KIP-932): membership over raw ShareGroupHeartbeat', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  let client: RawClient;
  const topicIds = new Map<string, string>();

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        'group.share.enable': true,
        'group.share.session.timeout.ms': SESSION_TIMEOUT_MS,
        'group.share.heartbeat.interval.ms': 500,
        // Lower bounds, so that a group config can shorten them further in a test.
        'group.share.min.session.timeout.ms': 1000,
        'group.share.min.heartbeat.interval.ms': 100,
      },
    });
    dataDir = broker.dataDir;
    client = await RawClient.connect(broker.port);
    const created = await client.send<Body>(CreateTopicsApi, 7, {
      topics: [
        { name: 'three', numPartitions: 3, replicationFactor: 1 },
        { name: 'one', numPartitions: 1, replicationFactor: 1 },
      ],
      timeoutMs: 10000,
    });
    for (const t of created.topics) {
      assert.equal(t.errorCode, ErrorCode.NONE);
      topicIds.set(t.name, t.topicId);
    }
    for (;;) {
      const found = await client.send<Body>(FindCoordinatorApi, 4, { keyType: 0, coordinatorKeys: ['any'] });
      if (found.coordinators[0].errorCode === ErrorCode.NONE) break;
      await sleep(100);
    }
  });
  after(async () => {
    client?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function heartbeat(request: Record<string, unknown>): Promise<Body> {
    for (;;) {
      const response = await client.send<Body>(ShareGroupHeartbeatApi, 1, {
        rackId: null,
        subscribedTopicNames: null,
        ...request,
      });
      if (
        response.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS &&
        response.errorCode !== ErrorCode.NOT_COORDINATOR
      )
        return response;
      await sleep(100);
    }
  }

  /** The assignment as `topic:p,p` strings, sorted. */
  function owned(response: Body): string[] {
    const names = new Map([...topicIds].map(([name, id]) => [id, name]));
    return (response.assignment?.topicPartitions ?? [])
      .map((tp: Body) => `${names.get(tp.topicId)}:${[...tp.partitions].sort().join(',')}`)
      .sort();
  }

  test('ApiVersions advertises the four share group APIs at v1', async () => {
    const res = await client.send<Body>(ApiVersionsApi, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    const keys = new Map<number, Body>(res.apiKeys.map((k: Body) => [k.apiKey, k]));
    assert.deepEqual(keys.get(76), { apiKey: 76, minVersion: 1, maxVersion: 1 });
    assert.deepEqual(keys.get(77), { apiKey: 77, minVersion: 1, maxVersion: 1 });
    assert.deepEqual(keys.get(78), { apiKey: 78, minVersion: 1, maxVersion: 1 });
    assert.deepEqual(keys.get(79), { apiKey: 79, minVersion: 1, maxVersion: 1 });
  });

  test('members share the partitions; the assignment moves at each member own heartbeat; leaving gives it back', async () => {
    const group = 'orders-share';
    const a = await heartbeat({
      groupId: group,
      memberId: 'member-a',
      memberEpoch: 0,
      subscribedTopicNames: ['three'],
    });
    assert.equal(a.errorCode, ErrorCode.NONE, a.errorMessage);
    assert.equal(a.memberId, 'member-a');
    assert.equal(a.memberEpoch, 1);
    assert.equal(a.heartbeatIntervalMs, 500);
    assert.deepEqual(owned(a), ['three:0,1,2']);

    const b = await heartbeat({
      groupId: group,
      memberId: 'member-b',
      memberEpoch: 0,
      subscribedTopicNames: ['three'],
    });
    assert.equal(b.memberEpoch, 2);
    assert.deepEqual(owned(b), ['three:1']);
    const a2 = await heartbeat({ groupId: group, memberId: 'member-a', memberEpoch: 1 });
    assert.equal(a2.memberEpoch, 2);
    assert.deepEqual(owned(a2), ['three:0,2']);
    // Nothing changed since: no assignment in the response.
    const a3 = await heartbeat({ groupId: group, memberId: 'member-a', memberEpoch: 2 });
    assert.equal(a3.memberEpoch, 2);
    assert.equal(a3.assignment, null);

    const described = await client.send<Body>(ShareGroupDescribeApi, 1, {
      groupIds: [group, 'no-such-share-group'],
      includeAuthorizedOperations: false,
    });
    const [g, missing] = described.groups;
    assert.equal(g.errorCode, ErrorCode.NONE);
    assert.deepEqual([g.groupState, g.groupEpoch, g.assignmentEpoch, g.assignorName], ['Stable', 2, 2, 'simple']);
    assert.deepEqual(
      g.members
        .map(
          (m: Body) =>
            `${m.memberId}@${m.memberEpoch}:${m.assignment.topicPartitions.map((tp: Body) => `${tp.topicName}:${tp.partitions.join(',')}`)}`,
        )
        .sort(),
      ['member-a@2:three:0,2', 'member-b@2:three:1'],
    );
    assert.equal(missing.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);

    const listed = await client.send<Body>(ListGroupsApi, 5, { statesFilter: [], typesFilter: ['share'] });
    assert.deepEqual(
      listed.groups.map((l: Body) => [l.groupId, l.groupType, l.groupState]),
      [[group, 'share', 'Stable']],
    );

    const left = await heartbeat({ groupId: group, memberId: 'member-b', memberEpoch: -1 });
    assert.deepEqual([left.errorCode, left.memberEpoch], [ErrorCode.NONE, -1]);
    const a4 = await heartbeat({ groupId: group, memberId: 'member-a', memberEpoch: 2 });
    assert.equal(a4.memberEpoch, 3);
    assert.deepEqual(owned(a4), ['three:0,1,2']);
    await heartbeat({ groupId: group, memberId: 'member-a', memberEpoch: -1 });
  });

  test('more members than partitions: every member gets the one partition', async () => {
    const group = 'queue-share';
    let last: Body;
    for (const id of ['m1', 'm2', 'm3']) {
      last = await heartbeat({ groupId: group, memberId: id, memberEpoch: 0, subscribedTopicNames: ['one'] });
      assert.equal(last.errorCode, ErrorCode.NONE);
      assert.deepEqual(owned(last), ['one:0']);
    }
    for (const id of ['m1', 'm2', 'm3']) await heartbeat({ groupId: group, memberId: id, memberEpoch: -1 });
  });

  test("Kafka's errors: empty first subscription, unknown member, fenced epoch, another group type", async () => {
    const group = 'errors-share';
    const noTopics = await heartbeat({ groupId: group, memberId: 'x', memberEpoch: 0, subscribedTopicNames: [] });
    assert.equal(noTopics.errorCode, ErrorCode.INVALID_REQUEST);
    assert.match(noTopics.errorMessage, /SubscribedTopicNames must be set in first request/);
    const noId = await heartbeat({ groupId: group, memberId: '', memberEpoch: 0, subscribedTopicNames: ['one'] });
    assert.equal(noId.errorCode, ErrorCode.INVALID_REQUEST);
    const unknown = await heartbeat({ groupId: group, memberId: 'ghost', memberEpoch: 5 });
    assert.equal(unknown.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const joined = await heartbeat({ groupId: group, memberId: 'x', memberEpoch: 0, subscribedTopicNames: ['one'] });
    const fenced = await heartbeat({ groupId: group, memberId: 'x', memberEpoch: joined.memberEpoch + 7 });
    assert.equal(fenced.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
    await heartbeat({ groupId: group, memberId: 'x', memberEpoch: joined.memberEpoch, subscribedTopicNames: null });
    // A share group keeps no committed offsets (a commit would turn its id into another group's).
    const committed = await client.send<Body>(OffsetCommitApi, 9, {
      groupId: group,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'one', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: '' }] }],
    });
    assert.equal(committed.topics[0].partitions[0].errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    const still = await heartbeat({ groupId: group, memberId: 'x', memberEpoch: joined.memberEpoch });
    assert.equal(still.errorCode, ErrorCode.NONE, 'the share group is intact');
    await heartbeat({ groupId: group, memberId: 'x', memberEpoch: -1 });

    const consumer = await client.send<Body>(ConsumerGroupHeartbeatApi, 1, {
      groupId: 'kip848-not-share',
      memberId: 'c1',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 30000,
      subscribedTopicNames: ['one'],
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: [],
    });
    assert.equal(consumer.errorCode, ErrorCode.NONE);
    const clash = await heartbeat({
      groupId: 'kip848-not-share',
      memberId: 's1',
      memberEpoch: 0,
      subscribedTopicNames: ['one'],
    });
    assert.equal(clash.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    assert.match(clash.errorMessage, /is not a share group/);
  });

  test("a member that stops heartbeating is fenced after its group's session timeout; group configs set both timings", async () => {
    const group = 'fenced-share';
    const configured = await client.send<Body>(IncrementalAlterConfigsApi, 1, {
      resources: [
        {
          resourceType: 32,
          resourceName: group,
          configs: [
            { name: 'share.heartbeat.interval.ms', configOperation: 0, value: '700' },
            { name: 'share.session.timeout.ms', configOperation: 0, value: String(GROUP_SESSION_TIMEOUT_MS) },
          ],
        },
      ],
      validateOnly: false,
    });
    assert.equal(configured.responses[0].errorCode, ErrorCode.NONE, configured.responses[0].errorMessage);
    const silent = await heartbeat({
      groupId: group,
      memberId: 'silent',
      memberEpoch: 0,
      subscribedTopicNames: ['three'],
    });
    assert.equal(silent.heartbeatIntervalMs, 700);
    let alive = await heartbeat({ groupId: group, memberId: 'alive', memberEpoch: 0, subscribedTopicNames: ['three'] });
    assert.deepEqual(owned(alive), ['three:0,2']);
    const deadline = Date.now() + GROUP_SESSION_TIMEOUT_MS + 5000;
    let epoch = alive.memberEpoch;
    while (Date.now() < deadline) {
      await sleep(500);
      alive = await heartbeat({ groupId: group, memberId: 'alive', memberEpoch: epoch });
      assert.equal(alive.errorCode, ErrorCode.NONE, alive.errorMessage);
      epoch = alive.memberEpoch;
      if (alive.assignment !== null && owned(alive).join() === 'three:0,1,2') break;
    }
    assert.deepEqual(owned(alive), ['three:0,1,2'], 'the silent member was fenced and its partitions came back');
    const gone = await heartbeat({ groupId: group, memberId: 'silent', memberEpoch: silent.memberEpoch });
    assert.equal(gone.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
