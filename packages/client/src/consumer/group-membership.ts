import type { TopicPartition } from '../common/topic-partition.js';
import type { CommitEntry, CommittedOffset } from './group-offsets.js';

/**
 * A consumer's membership in its group, whichever the protocol (`group.protocol`): the classic
 * JoinGroup/SyncGroup protocol (ConsumerCoordinator) or KIP-848's ConsumerGroupHeartbeat
 * (ConsumerGroupMembership). The consumer drives it from `poll`, where rebalance listeners run.
 */
export interface GroupMembership {
  readonly groupId: string;
  readonly memberId: string;
  /** The classic generation, or the consumer protocol's member epoch; -1 when not in the group. */
  readonly generationId: number;
  readonly isLeader: boolean;
  /** The assignor in use (classic: the group's protocol name; consumer: the server assignor asked for). */
  readonly protocolName: string | null;
  /** The subscription changed (topics or the pattern's matches): tell the group. */
  subscriptionChanged(): void;
  /** Java's `enforceRebalance(reason)`: rejoin the group at the next poll (classic protocol only). */
  enforceRebalance(reason: string): void;
  /** Called at the start of every poll: applies assignment changes, rejoins when needed. */
  poll(signal?: AbortSignal): Promise<void>;
  commit(entries: readonly CommitEntry[], signal?: AbortSignal): Promise<void>;
  fetchCommitted(partitions: readonly TopicPartition[], signal?: AbortSignal): Promise<CommittedOffset[]>;
  /** Before close: commit (auto-commit) and revoke everything, or report it lost. */
  revokeAll(): Promise<void>;
  /** Revoke everything and leave the group. */
  unsubscribe(): Promise<void>;
  /** Stop heartbeats and leave the group (dynamic members). */
  close(): Promise<void>;
}
