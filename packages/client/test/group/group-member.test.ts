import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey, ErrorCode } from '@samsa/protocol';
import { GroupMember, type GroupMemberMetadata, type GroupMemberProtocol } from '../../src/group/group-member.js';
import { FakeBroker } from '../support/fake-broker.js';

/** A protocol recording the callbacks; the leader hands every member its own ID as assignment. */
function recordingProtocol(events: string[]): GroupMemberProtocol {
  return {
    protocolType: 'test',
    metadata: () => [{ name: 'v0', metadata: Buffer.from('meta') }],
    onJoinPrepare: async (generation) => {
      events.push(`prepare ${generation}`);
    },
    performAssignment: async (leader: string, protocol: string, members: readonly GroupMemberMetadata[]) => {
      events.push(`assign ${leader} ${protocol} ${members.map((m) => m.metadata.toString()).join(',')}`);
      return new Map(members.map((m) => [m.memberId, Buffer.from(`for ${m.memberId}`)]));
    },
    onJoinComplete: async (generation, memberId, protocol, assignment) => {
      events.push(`complete ${generation} ${memberId} ${protocol} ${assignment.toString()}`);
    },
  };
}

test('GroupMember joins as leader with its protocol type, syncs its assignment and rejoins on REBALANCE_IN_PROGRESS', async () => {
  let generation = 0;
  let heartbeatError: number = ErrorCode.NONE;
  const broker = await FakeBroker.start((request) => {
    switch (request.apiKey) {
      case ApiKey.JoinGroup: {
        if (request.body.memberId === '')
          return {
            errorCode: ErrorCode.MEMBER_ID_REQUIRED,
            memberId: 'm-1',
            members: [],
            generationId: -1,
            protocolName: null,
            protocolType: null,
            leader: '',
            skipAssignment: false,
            throttleTimeMs: 0,
          };
        generation++;
        assert.equal(request.body.protocolType, 'test');
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          generationId: generation,
          protocolType: 'test',
          protocolName: request.body.protocols[0].name,
          leader: 'm-1',
          skipAssignment: false,
          memberId: 'm-1',
          members: [{ memberId: 'm-1', groupInstanceId: null, metadata: request.body.protocols[0].metadata }],
        };
      }
      case ApiKey.SyncGroup: {
        const mine = request.body.assignments.find((a: { memberId: string }) => a.memberId === 'm-1');
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          protocolType: 'test',
          protocolName: 'v0',
          assignment: mine.assignment,
        };
      }
      case ApiKey.Heartbeat:
        return { throttleTimeMs: 0, errorCode: heartbeatError };
      case ApiKey.LeaveGroup:
        return { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm-1', groupInstanceId: null, errorCode: 0 }] };
      default:
        return undefined;
    }
  });
  const events: string[] = [];
  const member = new GroupMember(
    {
      client: { 'bootstrap.servers': broker.bootstrap },
      groupId: 'g',
      sessionTimeoutMs: 6000,
      rebalanceTimeoutMs: 6000,
      heartbeatIntervalMs: 50,
    },
    recordingProtocol(events),
  );
  try {
    await member.ensureActive();
    assert.deepEqual(events, ['prepare -1', 'assign m-1 v0 meta', 'complete 1 m-1 v0 for m-1']);
    assert.equal(member.isLeader, true);
    assert.equal(member.rejoinNeeded, false);

    const woken = new Promise<void>((resolve) => {
      member.onRejoinNeeded = resolve;
    });
    heartbeatError = ErrorCode.REBALANCE_IN_PROGRESS;
    await woken;
    heartbeatError = ErrorCode.NONE;
    assert.equal(member.rejoinNeeded, true);
    await member.ensureActive();
    assert.deepEqual(events.slice(3), ['prepare 1', 'assign m-1 v0 meta', 'complete 2 m-1 v0 for m-1']);
  } finally {
    await member.close();
    await broker.close();
  }
  assert.equal(broker.named('LeaveGroup').length, 1);
  assert.equal(member.memberId, '');
});

test('GroupMember heartbeats while its owner gives up work before rejoining, and not during the join', async () => {
  let generation = 0;
  let joinInFlight = false;
  let heartbeatsDuringJoin = 0;
  const broker = await FakeBroker.start((request) => {
    switch (request.apiKey) {
      case ApiKey.JoinGroup: {
        generation++;
        joinInFlight = true;
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          generationId: generation,
          protocolType: 'test',
          protocolName: 'v0',
          leader: 'm-1',
          skipAssignment: false,
          memberId: 'm-1',
          members: [{ memberId: 'm-1', groupInstanceId: null, metadata: Buffer.alloc(0) }],
        };
      }
      case ApiKey.SyncGroup:
        joinInFlight = false;
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          protocolType: 'test',
          protocolName: 'v0',
          assignment: Buffer.alloc(0),
        };
      case ApiKey.Heartbeat:
        if (joinInFlight) heartbeatsDuringJoin++;
        return { throttleTimeMs: 0, errorCode: 0 };
      case ApiKey.LeaveGroup:
        return { throttleTimeMs: 0, errorCode: 0, members: [] };
      default:
        return undefined;
    }
  });
  let prepares = 0;
  const member = new GroupMember(
    {
      client: { 'bootstrap.servers': broker.bootstrap },
      groupId: 'g',
      sessionTimeoutMs: 6000,
      rebalanceTimeoutMs: 6000,
      heartbeatIntervalMs: 20,
    },
    {
      protocolType: 'test',
      metadata: () => [{ name: 'v0', metadata: Buffer.alloc(0) }],
      // The second prepare is slow, as a worker stopping its tasks is.
      onJoinPrepare: () => new Promise((resolve) => setTimeout(resolve, prepares++ === 0 ? 0 : 300)),
      performAssignment: async (_leader, _protocol, members) =>
        new Map(members.map((m) => [m.memberId, Buffer.alloc(0)])),
      onJoinComplete: async () => {},
    },
  );
  try {
    await member.ensureActive();
    const before = broker.named('Heartbeat').length;
    member.requestRejoin();
    await member.ensureActive();
    assert.ok(broker.named('Heartbeat').length - before >= 5, 'heartbeats went on during the slow prepare');
    assert.equal(heartbeatsDuringJoin, 0);
  } finally {
    await member.close();
    await broker.close();
  }
});
