import { ErrorCode, type JoinGroupResponseInput, KafkaError, type SyncGroupResponseInput } from '@samsa/protocol';
import type {
  CoordinatorLogEntry,
  CoordinatorLogRecord,
  CoordinatorRecord,
  TransactionResult,
} from '../../../../src/coordinator/coordinator-log.js';
import { appendErrorToResponseError } from '../../../../src/coordinator/group/append-error.js';
import type {
  HeartbeatArgs,
  JoinGroupArgs,
  LeavingMember,
  SyncGroupArgs,
} from '../../../../src/coordinator/group/classic-group-membership.js';
import {
  type GroupCoordinatorConfig,
  groupCoordinatorConfig,
} from '../../../../src/coordinator/group/group-coordinator-config.js';
import { GroupCoordinatorShard } from '../../../../src/coordinator/group/group-coordinator-shard.js';
import type {
  OffsetCommitArgs,
  OffsetCommitTopicArgs,
  TxnOffsetCommitArgs,
} from '../../../../src/coordinator/group/offset-metadata-manager.js';
import type { PendingOperation, Responder } from '../../../../src/coordinator/group/operation-result.js';
import { subscription } from './consumer-metadata.js';

export const START_MS = 1_700_000_000_000;

/** A parked or answered request: `answer()` is undefined while it is parked. */
export interface Pending<T> {
  readonly id: number;
  answer(): T | undefined;
}

/**
 * Drives a `GroupCoordinatorShard` the way the runtime does, synchronously: a fake clock, an
 * in-memory log that every committed operation's records go to (and transaction markers, from
 * `endTxn`), and answers collected by responder. `failNextAppend` makes the next operation that
 * has records fail its append.
 */
export class ShardHarness {
  nowMs = START_MS;
  /** The partition's log: committed records and markers, in order, as loading reads them. */
  readonly entries: CoordinatorLogEntry[] = [];
  readonly config: GroupCoordinatorConfig;
  shard: GroupCoordinatorShard;
  failNextAppend: KafkaError | undefined;
  /** Records of every operation, committed or not, in order. */
  readonly attempted: CoordinatorRecord[][] = [];
  private readonly answers = new Map<number, unknown>();
  private nextResponderId = 1;
  private uuids = 0;

  constructor(overrides: Partial<GroupCoordinatorConfig> = {}) {
    this.config = groupCoordinatorConfig({ groupInitialRebalanceDelayMs: 0, ...overrides });
    this.shard = this.newShard();
    // As the runtime does when it is elected for an empty partition.
    this.settle(this.shard.onLoaded(this.nowMs));
  }

  private newShard(): GroupCoordinatorShard {
    return new GroupCoordinatorShard(0, this.config, { generateUuid: () => `uuid${++this.uuids}` });
  }

  /** The data records of the log. */
  get log(): CoordinatorLogRecord[] {
    return this.entries.filter((e): e is CoordinatorLogRecord => e.type === 'record');
  }

  settle<R>(op: PendingOperation<R>): R {
    this.attempted.push([...op.records]);
    let outcome: { response: R; completions: readonly { responder: Responder<unknown>; response: unknown }[] };
    if (op.records.length > 0 && this.failNextAppend !== undefined) {
      const error = this.failNextAppend;
      this.failNextAppend = undefined;
      outcome = op.abort(appendErrorToResponseError(error));
    } else {
      for (const record of op.records) {
        this.entries.push({
          type: 'record',
          ...record,
          offset: this.entries.length,
          producerId: op.transactional?.producerId ?? -1,
          producerEpoch: op.transactional?.producerEpoch ?? -1,
          transactional: op.transactional !== undefined,
        });
      }
      op.commit();
      outcome = op;
    }
    for (const { responder, response } of outcome.completions) {
      if (this.answers.has(responder.id)) throw new Error(`responder ${responder.id} answered twice`);
      this.answers.set(responder.id, response);
    }
    return outcome.response;
  }

  private pending<T>(id: number): Pending<T> {
    const answers = this.answers;
    return { id, answer: () => answers.get(id) as T | undefined };
  }

  join(args: Partial<JoinGroupArgs> = {}): Pending<JoinGroupResponseInput> {
    const responder: Responder<JoinGroupResponseInput> = { id: this.nextResponderId++ };
    const full: JoinGroupArgs = {
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
    this.settle(this.shard.joinGroup(this.nowMs, full, responder));
    return this.pending(responder.id);
  }

  /** A dynamic member's two JoinGroups (KIP-394): returns its member id and the parked second join. */
  joinNew(args: Partial<JoinGroupArgs> = {}): { memberId: string; join: Pending<JoinGroupResponseInput> } {
    const first = this.join(args).answer();
    if (first?.errorCode !== ErrorCode.MEMBER_ID_REQUIRED)
      throw new Error(`expected MEMBER_ID_REQUIRED, got ${JSON.stringify(first)}`);
    const memberId = first.memberId as string;
    return { memberId, join: this.join({ ...args, memberId }) };
  }

  sync(args: Partial<SyncGroupArgs> & { memberId: string; generationId: number }): Pending<SyncGroupResponseInput> {
    const responder: Responder<SyncGroupResponseInput> = { id: this.nextResponderId++ };
    const full: SyncGroupArgs = {
      groupId: 'group',
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
      ...args,
    };
    this.settle(this.shard.syncGroup(this.nowMs, full, responder));
    return this.pending(responder.id);
  }

  heartbeat(args: Partial<HeartbeatArgs> & { memberId: string; generationId: number }): number {
    const response = this.settle(
      this.shard.heartbeat(this.nowMs, { groupId: 'group', groupInstanceId: null, ...args }),
    );
    return response.errorCode ?? ErrorCode.NONE;
  }

  leave(members: readonly LeavingMember[], groupId = 'group') {
    return this.settle(this.shard.leaveGroup(this.nowMs, groupId, members));
  }

  commit(args: Partial<OffsetCommitArgs> & { topics: readonly OffsetCommitTopicArgs[] }) {
    return this.settle(
      this.shard.commitOffsets(this.nowMs, {
        groupId: 'group',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        unknownGroupErrorCode: ErrorCode.ILLEGAL_GENERATION,
        ...args,
      }),
    );
  }

  /** A TxnOffsetCommit of producer 1000 (epoch 0) without group metadata unless `args` gives some. */
  txnCommit(args: Partial<TxnOffsetCommitArgs> & { topics: TxnOffsetCommitArgs['topics'] }) {
    return this.settle(
      this.shard.commitTransactionalOffsets(this.nowMs, {
        groupId: 'group',
        producerId: 1000,
        producerEpoch: 0,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        ...args,
      }),
    );
  }

  /** The transaction coordinator writes the producer's marker, then tells the group coordinator. */
  endTxn(result: TransactionResult, producerId = 1000, producerEpoch = 0): void {
    this.entries.push({
      type: 'marker',
      offset: this.entries.length,
      producerId,
      producerEpoch,
      result,
      coordinatorEpoch: 0,
    });
    this.settle(this.shard.completeTransaction(this.nowMs, producerId, result));
  }

  /** Every commit-result error code, flattened. */
  static errors(topics: readonly { partitions?: readonly { errorCode?: number }[] }[]): number[] {
    return topics.flatMap((t) => (t.partitions ?? []).map((p) => p.errorCode ?? 0));
  }

  fetch(
    topics: readonly { name: string; partitionIndexes: readonly number[] }[] | null,
    groupId = 'group',
    requireStable = false,
  ) {
    return this.shard.fetchOffsets(groupId, topics, requireStable);
  }

  /** Moves the clock, firing timers at their deadlines (so chained timers see the right time). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const deadline = this.shard.nextDeadlineMs();
      if (deadline === undefined || deadline > target) break;
      this.nowMs = Math.max(this.nowMs, deadline);
      this.settle(this.shard.expireTimers(this.nowMs));
    }
    this.nowMs = target;
  }

  /** A coordinator restarted on the same log: a fresh shard that replays every committed record. */
  restart(): GroupCoordinatorShard {
    this.shard = this.newShard();
    for (const entry of this.entries) this.shard.replayLogEntry(entry);
    this.settle(this.shard.onLoaded(this.nowMs));
    return this.shard;
  }

  /**
   * Runs a full rebalance of `count` new dynamic members (client ids c1..cN) to Stable with
   * assignments `a-<clientId>`; returns member ids and the generation.
   */
  stableGroup(
    count: number,
    args: Partial<JoinGroupArgs> = {},
  ): { memberIds: string[]; generationId: number; leader: string } {
    const groupId = args.groupId ?? 'group';
    const joins = [];
    for (let i = 1; i <= count; i++) joins.push(this.joinNew({ clientId: `c${i}`, ...args }));
    this.advance(0);
    const responses = joins.map((j) => j.join.answer());
    if (responses.some((r) => r?.errorCode !== ErrorCode.NONE))
      throw new Error(`join failed: ${JSON.stringify(responses)}`);
    const first = responses[0] as JoinGroupResponseInput;
    const generationId = first.generationId as number;
    const leader = first.leader as string;
    const memberIds = joins.map((j) => j.memberId);
    const followerSyncs = memberIds
      .filter((memberId) => memberId !== leader)
      .map((memberId) => this.sync({ groupId, memberId, generationId }));
    this.sync({
      groupId,
      memberId: leader,
      generationId,
      assignments: memberIds.map((id, i) => ({ memberId: id, assignment: Buffer.from(`a-c${i + 1}`) })),
    });
    if (followerSyncs.some((s) => s.answer()?.errorCode !== ErrorCode.NONE)) throw new Error('sync failed');
    return { memberIds, generationId, leader };
  }
}

export function notLeader(): KafkaError {
  return new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'not the leader');
}
