/**
 * The group coordinator's handlers (src/handlers/{join-group,sync-group,...}.ts) at every version
 * they serve: the request goes through the wire codec, the response is encoded at the same version
 * (which rejects fields a version cannot carry) and decoded back for the per-version checks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ApiCodec,
  DeleteGroupsApi,
  DescribeGroupsApi,
  decodeMessage,
  ErrorCode,
  encodeMessage,
  FindCoordinatorApi,
  HeartbeatApi,
  JoinGroupApi,
  LeaveGroupApi,
  ListGroupsApi,
  OffsetCommitApi,
  OffsetDeleteApi,
  OffsetFetchApi,
  SyncGroupApi,
  TxnOffsetCommitApi,
} from '@samsa/protocol';
import type { BrokerServices } from '../../../src/broker-services.js';
import type { CoordinatorLogEntry, CoordinatorPartitionLog } from '../../../src/coordinator/coordinator-log.js';
import { GroupCoordinator } from '../../../src/coordinator/group/group-coordinator.js';
import { deleteGroupsHandler } from '../../../src/handlers/delete-groups.js';
import { describeGroupsHandler } from '../../../src/handlers/describe-groups.js';
import { findCoordinatorHandler } from '../../../src/handlers/find-coordinator.js';
import type { Handler, RequestContext } from '../../../src/handlers/handler.js';
import { heartbeatHandler } from '../../../src/handlers/heartbeat.js';
import { joinGroupHandler } from '../../../src/handlers/join-group.js';
import { leaveGroupHandler } from '../../../src/handlers/leave-group.js';
import { listGroupsHandler } from '../../../src/handlers/list-groups.js';
import { offsetCommitHandler } from '../../../src/handlers/offset-commit.js';
import { offsetDeleteHandler } from '../../../src/handlers/offset-delete.js';
import { offsetFetchHandler } from '../../../src/handlers/offset-fetch.js';
import { syncGroupHandler } from '../../../src/handlers/sync-group.js';
import { txnOffsetCommitHandler } from '../../../src/handlers/txn-offset-commit.js';
import { ANONYMOUS } from '../../../src/security/kafka-principal.js';
import { subscription } from './support/consumer-metadata.js';
import { InMemoryCoordinatorLog } from './support/in-memory-coordinator-log.js';
import { ManualScheduler } from './support/manual-scheduler.js';

interface Broker {
  coordinator: GroupCoordinator;
  /** Topics the handlers asked the broker to create. */
  autoCreated: string[];
  scheduler: ManualScheduler;
  call<Req, ReqIn, Res, ResIn>(
    api: ApiCodec<Req, ReqIn, Res, ResIn>,
    handler: Handler<Req, ResIn>,
    version: number,
    request: ReqIn,
  ): Promise<Res>;
}

/** A broker with one `__consumer_offsets` partition, elected (or not). */
async function broker(elected = true, log: CoordinatorPartitionLog = new InMemoryCoordinatorLog()): Promise<Broker> {
  const autoCreated: string[] = [];
  const scheduler = new ManualScheduler();
  let uuid = 0;
  const coordinator = new GroupCoordinator({
    log,
    scheduler,
    config: { offsetsTopicNumPartitions: 1, groupInitialRebalanceDelayMs: 0 },
    generateUuid: () => `uuid${++uuid}`,
  });
  if (elected) await coordinator.onElection(0);
  // What the group handlers use of the broker's services; `__consumer_offsets` exists once elected.
  let offsetsTopicExists = elected;
  const services = {
    brokerId: 1,
    groupCoordinator: coordinator,
    // FindCoordinator's transactional ids: partition 0 of `__transaction_state`, loaded here.
    transactionCoordinator: { partitionFor: () => 0, partitionStatus: () => 'active' },
    // The in-memory `__consumer_offsets` is no replica: TxnOffsetCommit skips KIP-890 verification
    // here (integration/test/transactions/transaction-guards.test.ts covers it).
    replicaManager: { getPartition: () => undefined },
    advertisedEndpoint: (listener: string) => ({ nodeId: 1, host: `${listener.toLowerCase()}.local`, port: 9092 }),
    metadata: {
      image: {
        topic: (name: string) => (name !== '__consumer_offsets' || offsetsTopicExists ? {} : undefined),
        // Every partition exists, led by this broker, except those of "no-such-topic" and
        // partitions from 100.
        partition: (topic: string, partition: number) =>
          topic === 'no-such-topic' || partition >= 100 ? undefined : { leader: 1 },
        brokers: new Map([
          [
            1,
            {
              brokerId: 1,
              rack: null,
              endpoints: [
                { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'plaintext.local', port: 9092 },
              ],
            },
          ],
        ]),
      },
    },
    autoCreateTopic: async (name: string) => {
      autoCreated.push(name);
      offsetsTopicExists = true;
      return {};
    },
  } as unknown as BrokerServices;
  return {
    autoCreated,
    coordinator,
    scheduler,
    async call(api, handler, version, request) {
      const ctx: RequestContext = {
        apiKey: api.apiKey,
        apiVersion: version,
        correlationId: 1,
        clientId: 'client',
        clientHost: '/127.0.0.1',
        listenerName: 'PLAINTEXT',
        securityProtocol: 'PLAINTEXT',
        principal: ANONYMOUS,
        receivedAtMs: scheduler.nowMs(),
        services,
      };
      assert.ok(version >= handler.minVersion && version <= handler.maxVersion);
      const decoded = decodeMessage(api.request, encodeMessage(api.request, request, version), version);
      const pending = Promise.resolve(handler.handle(decoded, ctx));
      await scheduler.advance(0); // lets a parked JoinGroup complete (no initial delay)
      const response = await pending;
      return decodeMessage(api.response, encodeMessage(api.response, response, version), version);
    },
  };
}

const protocols = [{ name: 'range', metadata: subscription(['topic']) }];

function versions(handler: Handler): number[] {
  const all: number[] = [];
  for (let v = handler.minVersion; v <= handler.maxVersion; v++) all.push(v);
  return all;
}

/** JoinGroup (twice from v4) and SyncGroup to Stable at `version`. */
async function stable(b: Broker, joinVersion: number, syncVersion = 0) {
  const join = {
    groupId: 'group',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 20_000,
    protocolType: 'consumer',
    protocols,
  };
  let response = await b.call(JoinGroupApi, joinGroupHandler, joinVersion, join);
  if (response.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
    response = await b.call(JoinGroupApi, joinGroupHandler, joinVersion, { ...join, memberId: response.memberId });
  }
  assert.equal(response.errorCode, ErrorCode.NONE);
  const sync = await b.call(SyncGroupApi, syncGroupHandler, syncVersion, {
    groupId: 'group',
    generationId: response.generationId,
    memberId: response.memberId,
    assignments: [{ memberId: response.memberId, assignment: Buffer.from('a') }],
  });
  return { join: response, sync };
}

describe('handlers at every version', () => {
  test('JoinGroup', async () => {
    for (const v of versions(joinGroupHandler)) {
      const b = await broker();
      const first = await b.call(JoinGroupApi, joinGroupHandler, v, {
        groupId: 'group',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 20_000,
        protocolType: 'consumer',
        protocols,
      });
      // v4+: a new member gets its id first (KIP-394).
      assert.equal(first.errorCode, v >= 4 ? ErrorCode.MEMBER_ID_REQUIRED : ErrorCode.NONE, `v${v}`);
      assert.equal(first.memberId, 'client-uuid1');
      const { join } = await stable(await broker(), v);
      assert.equal(join.protocolName, 'range');
      assert.equal(join.protocolType, v >= 7 ? 'consumer' : null, `v${v}`);
      assert.equal(join.members.length, 1);
      const error = await b.call(JoinGroupApi, joinGroupHandler, v, {
        groupId: 'group',
        sessionTimeoutMs: 1,
        protocolType: 'consumer',
        protocols,
      });
      assert.equal(error.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
      assert.equal(error.protocolName, v >= 7 ? null : '', `v${v}: error responses carry no protocol`);
    }
  });

  test('JoinGroup v0 uses the session timeout as rebalance timeout', async () => {
    const b = await broker();
    await stable(b, 0);
    const stored = b.coordinator;
    const [described] = await stored.describeGroups(['group']);
    assert.equal(described?.members?.length, 1);
    // A second member joining makes the first wait at most its rebalance timeout (= 10 s session).
    const pending = b.call(JoinGroupApi, joinGroupHandler, 0, {
      groupId: 'group',
      sessionTimeoutMs: 10_000,
      protocolType: 'consumer',
      protocols,
    });
    await b.scheduler.advance(9_999);
    await b.scheduler.advance(1);
    assert.equal((await pending).errorCode, ErrorCode.NONE);
  });

  test('SyncGroup and Heartbeat', async () => {
    for (const v of versions(syncGroupHandler)) {
      const b = await broker();
      const { join, sync } = await stable(b, 5, v);
      assert.equal(sync.errorCode, ErrorCode.NONE);
      assert.deepEqual(sync.assignment, Buffer.from('a'));
      assert.equal(sync.protocolName, v >= 5 ? 'range' : null, `v${v}`);
      for (const hv of versions(heartbeatHandler)) {
        const hb = await b.call(HeartbeatApi, heartbeatHandler, hv, {
          groupId: 'group',
          generationId: join.generationId,
          memberId: join.memberId,
        });
        assert.equal(hb.errorCode, ErrorCode.NONE, `heartbeat v${hv}`);
      }
    }
  });

  test('LeaveGroup: one member before v3, a batch with per-member errors from v3', async () => {
    for (const v of versions(leaveGroupHandler)) {
      const b = await broker();
      const { join } = await stable(b, 5);
      const unknown =
        v >= 3
          ? await b.call(LeaveGroupApi, leaveGroupHandler, v, { groupId: 'group', members: [{ memberId: 'nobody' }] })
          : await b.call(LeaveGroupApi, leaveGroupHandler, v, { groupId: 'group', memberId: 'nobody' });
      if (v >= 3) {
        assert.equal(unknown.errorCode, ErrorCode.NONE);
        assert.equal(unknown.members[0]?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
      } else {
        assert.equal(unknown.errorCode, ErrorCode.UNKNOWN_MEMBER_ID, `v${v}`);
      }
      const left =
        v >= 3
          ? await b.call(LeaveGroupApi, leaveGroupHandler, v, {
              groupId: 'group',
              members: [{ memberId: join.memberId }],
            })
          : await b.call(LeaveGroupApi, leaveGroupHandler, v, { groupId: 'group', memberId: join.memberId });
      assert.equal(left.errorCode, ErrorCode.NONE);
      const [described] = await b.coordinator.describeGroups(['group']);
      assert.equal(described?.groupState, 'Empty', `v${v}`);
    }
  });

  test('OffsetCommit and OffsetFetch', async () => {
    for (const v of versions(offsetCommitHandler)) {
      const b = await broker();
      const committed = await b.call(OffsetCommitApi, offsetCommitHandler, v, {
        groupId: 'group',
        topics: [
          {
            name: 't',
            partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: 2, committedMetadata: 'm' }],
          },
        ],
      });
      assert.equal(committed.topics[0]?.partitions[0]?.errorCode, ErrorCode.NONE, `v${v}`);
      if (v >= 1) {
        const unknown = await b.call(OffsetCommitApi, offsetCommitHandler, v, {
          groupId: 'nobody',
          generationIdOrMemberEpoch: 4,
          memberId: 'm',
          topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1n }] }],
        });
        const expected = v >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
        assert.equal(unknown.topics[0]?.partitions[0]?.errorCode, expected, `v${v}`);
      }
    }
    const b = await broker();
    await b.call(OffsetCommitApi, offsetCommitHandler, 8, {
      groupId: 'group',
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: 2, committedMetadata: 'm' }],
        },
      ],
    });
    for (const v of versions(offsetFetchHandler)) {
      if (v >= 8) {
        const response = await b.call(OffsetFetchApi, offsetFetchHandler, v, {
          groups: [
            { groupId: 'group', topics: [{ name: 't', partitionIndexes: [0, 1] }] },
            { groupId: 'other', topics: null },
          ],
        });
        assert.deepEqual(
          response.groups.map((g) => [
            g.groupId,
            g.errorCode,
            g.topics.flatMap((t) => t.partitions.map((p) => p.committedOffset)),
          ]),
          [
            ['group', ErrorCode.NONE, [5n, -1n]],
            ['other', ErrorCode.NONE, []],
          ],
        );
        assert.equal(response.groups[0]?.topics[0]?.partitions[0]?.committedLeaderEpoch, 2);
      } else {
        const response = await b.call(OffsetFetchApi, offsetFetchHandler, v, {
          groupId: 'group',
          topics: [{ name: 't', partitionIndexes: [0] }],
        });
        const partition = response.topics[0]?.partitions[0];
        assert.equal(partition?.committedOffset, 5n, `v${v}`);
        assert.equal(partition?.metadata, 'm');
        assert.equal(partition?.committedLeaderEpoch, v >= 5 ? 2 : -1);
        if (v >= 2) {
          const all = await b.call(OffsetFetchApi, offsetFetchHandler, v, { groupId: 'group', topics: null });
          assert.deepEqual(
            all.topics.map((t) => t.name),
            ['t'],
          );
        }
      }
    }
  });

  test('TxnOffsetCommit: pending until the marker; unknown partitions, membership and producer checks', async () => {
    const offsets = (committedOffset: bigint) => [
      {
        name: 't',
        partitions: [{ partitionIndex: 0, committedOffset, committedLeaderEpoch: 2, committedMetadata: 'm' }],
      },
      { name: 'no-such-topic', partitions: [{ partitionIndex: 0, committedOffset }] },
    ];
    const fetch = async (b: Broker, requireStable: boolean) => {
      const response = await b.call(OffsetFetchApi, offsetFetchHandler, 7, {
        groupId: 'group',
        topics: [{ name: 't', partitionIndexes: [0] }],
        requireStable,
      });
      const p = response.topics[0]?.partitions[0];
      return [p?.committedOffset, p?.committedLeaderEpoch, p?.errorCode];
    };
    for (const v of versions(txnOffsetCommitHandler)) {
      const b = await broker();
      const response = await b.call(TxnOffsetCommitApi, txnOffsetCommitHandler, v, {
        transactionalId: 'tx',
        groupId: 'group',
        producerId: 7n,
        producerEpoch: 1,
        topics: offsets(5n),
      });
      assert.deepEqual(
        response.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]),
        [
          ['t', [ErrorCode.NONE]],
          ['no-such-topic', [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
        ],
        `v${v}`,
      );
      assert.deepEqual(await fetch(b, false), [-1n, -1, ErrorCode.NONE], `v${v}: invisible until the marker`);
      assert.deepEqual(await fetch(b, true), [-1n, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
      await b.coordinator.onTransactionCompleted(0, 7, 1, 'COMMIT');
      assert.deepEqual(await fetch(b, true), [5n, v >= 2 ? 2 : -1, ErrorCode.NONE], `v${v}`);
      if (v >= 3) {
        const stranger = await b.call(TxnOffsetCommitApi, txnOffsetCommitHandler, v, {
          transactionalId: 'tx',
          groupId: 'group',
          producerId: 7n,
          producerEpoch: 1,
          generationId: 1,
          memberId: 'm',
          topics: offsets(6n),
        });
        assert.equal(stranger.topics[0]?.partitions[0]?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID, `v${v}`);
      }
      const noProducer = await b.call(TxnOffsetCommitApi, txnOffsetCommitHandler, v, {
        transactionalId: 'tx',
        groupId: 'group',
        producerId: -1n,
        producerEpoch: -1,
        topics: offsets(6n),
      });
      assert.equal(noProducer.topics[0]?.partitions[0]?.errorCode, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    }
    // While the partition loads: COORDINATOR_NOT_AVAILABLE before v2 (KAFKA-7296), else LOAD_IN_PROGRESS.
    class NeverLoads extends InMemoryCoordinatorLog {
      override async *readAll(): AsyncIterable<CoordinatorLogEntry> {
        await new Promise<never>(() => {});
      }
    }
    const loading = await broker(false, new NeverLoads());
    void loading.coordinator.onElection(0);
    for (const v of versions(txnOffsetCommitHandler)) {
      const response = await loading.call(TxnOffsetCommitApi, txnOffsetCommitHandler, v, {
        transactionalId: 'tx',
        groupId: 'group',
        producerId: 7n,
        producerEpoch: 1,
        topics: offsets(5n).slice(0, 1),
      });
      const expected = v < 2 ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
      assert.equal(response.topics[0]?.partitions[0]?.errorCode, expected, `v${v}`);
    }
  });

  test('OffsetCommit refuses partitions the cluster does not have, without storing them', async () => {
    const b = await broker();
    const response = await b.call(OffsetCommitApi, offsetCommitHandler, 8, {
      groupId: 'group',
      topics: [
        { name: 'no-such-topic', partitions: [{ partitionIndex: 0, committedOffset: 1n }] },
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 2n },
            { partitionIndex: 100, committedOffset: 3n },
          ],
        },
      ],
    });
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])]),
      [
        ['no-such-topic', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
        [
          't',
          [
            [0, ErrorCode.NONE],
            [100, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
          ],
        ],
      ],
    );
    const fetched = await b.coordinator.fetchOffsets('group', null, false);
    assert.deepEqual(
      fetched.topics?.map((t) => [t.name, t.partitions?.map((p) => p.partitionIndex)]),
      [['t', [0]]],
    );
  });

  test('OffsetFetch v0-v1 carry a coordinator error on every partition; v2+ at the top', async () => {
    const b = await broker(false);
    for (const v of [0, 1, 2, 7]) {
      const response = await b.call(OffsetFetchApi, offsetFetchHandler, v, {
        groupId: 'group',
        topics: [{ name: 't', partitionIndexes: [0, 1] }],
      });
      if (v < 2)
        assert.deepEqual(
          response.topics[0]?.partitions.map((p) => p.errorCode),
          [ErrorCode.NOT_COORDINATOR, ErrorCode.NOT_COORDINATOR],
        );
      else assert.equal(response.errorCode, ErrorCode.NOT_COORDINATOR);
    }
  });

  test('DescribeGroups, ListGroups, DeleteGroups, OffsetDelete', async () => {
    for (const v of versions(describeGroupsHandler)) {
      const b = await broker();
      await stable(b, 5);
      const response = await b.call(DescribeGroupsApi, describeGroupsHandler, v, {
        groups: ['group', 'none'],
        includeAuthorizedOperations: v >= 3,
      });
      assert.deepEqual(
        response.groups.map((g) => g.groupState),
        ['Stable', 'Dead'],
      );
      assert.equal(response.groups[0]?.members[0]?.clientHost, '/127.0.0.1');
      assert.equal(response.groups[0]?.authorizedOperations, v >= 3 ? (1 << 3) | (1 << 6) | (1 << 8) : -2147483648);
    }
    for (const v of versions(listGroupsHandler)) {
      const b = await broker();
      await stable(b, 5);
      const response = await b.call(
        ListGroupsApi,
        listGroupsHandler,
        v,
        v >= 4 ? { statesFilter: ['stable'], ...(v >= 5 ? { typesFilter: ['classic'] } : {}) } : {},
      );
      assert.deepEqual(
        response.groups.map((g) => [g.groupId, g.protocolType]),
        [['group', 'consumer']],
        `v${v}`,
      );
      if (v >= 4) assert.equal(response.groups[0]?.groupState, 'Stable');
      if (v >= 5) assert.equal(response.groups[0]?.groupType, 'classic');
    }
    for (const v of versions(deleteGroupsHandler)) {
      const b = await broker();
      await stable(b, 5);
      await b.call(OffsetCommitApi, offsetCommitHandler, 2, {
        groupId: 'simple',
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1n }] }],
      });
      const response = await b.call(DeleteGroupsApi, deleteGroupsHandler, v, { groupsNames: ['group', 'simple'] });
      assert.deepEqual(
        response.results.map((r) => [r.groupId, r.errorCode]),
        [
          ['group', ErrorCode.NON_EMPTY_GROUP],
          ['simple', ErrorCode.NONE],
        ],
      );
    }
    const b = await broker();
    await stable(b, 5);
    const response = await b.call(OffsetDeleteApi, offsetDeleteHandler, 0, {
      groupId: 'group',
      topics: [{ name: 'topic', partitions: [{ partitionIndex: 0 }] }],
    });
    assert.equal(response.topics[0]?.partitions[0]?.errorCode, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
  });

  test('FindCoordinator: this broker on the request listener; one key before v4, batched from v4', async () => {
    const b = await broker();
    for (const v of versions(findCoordinatorHandler)) {
      if (v < 4) {
        const response = await b.call(FindCoordinatorApi, findCoordinatorHandler, v, {
          key: 'group',
          keyType: v >= 1 ? 1 : 0,
        });
        assert.deepEqual(
          [response.errorCode, response.nodeId, response.host, response.port],
          [ErrorCode.NONE, 1, 'plaintext.local', 9092],
        );
        if (v >= 1) assert.equal(response.errorMessage, 'NONE', `v${v}`);
      } else {
        const response = await b.call(FindCoordinatorApi, findCoordinatorHandler, v, {
          keyType: 0,
          coordinatorKeys: ['g1', 'g2'],
        });
        assert.deepEqual(
          response.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.host, c.port]),
          [
            ['g1', ErrorCode.NONE, 1, 'plaintext.local', 9092],
            ['g2', ErrorCode.NONE, 1, 'plaintext.local', 9092],
          ],
        );
        const share = await b.call(FindCoordinatorApi, findCoordinatorHandler, v, {
          keyType: 2,
          coordinatorKeys: ['s'],
        });
        assert.deepEqual(
          [share.coordinators[0]?.errorCode, share.coordinators[0]?.nodeId],
          [ErrorCode.INVALID_REQUEST, -1],
        );
      }
    }
    // No `__consumer_offsets` yet: it is created, and the coordinator is not available until it is led.
    const unelected = await broker(false);
    const response = await unelected.call(FindCoordinatorApi, findCoordinatorHandler, 3, { key: 'group' });
    assert.deepEqual(
      [response.errorCode, response.nodeId, response.port],
      [ErrorCode.COORDINATOR_NOT_AVAILABLE, -1, -1],
    );
    assert.equal(response.errorMessage, 'The coordinator is not available.');
    assert.deepEqual(unelected.autoCreated, ['__consumer_offsets']);
    await unelected.coordinator.onElection(0);
    const found = await unelected.call(FindCoordinatorApi, findCoordinatorHandler, 3, { key: 'group' });
    assert.equal(found.errorCode, ErrorCode.NONE);
    assert.deepEqual(unelected.autoCreated, ['__consumer_offsets'], 'created once');
  });
});
