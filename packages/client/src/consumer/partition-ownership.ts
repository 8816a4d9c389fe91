import type { TopicPartition } from '../common/topic-partition.js';
import { type RebalanceEvent, rebalanceChannel } from '../connection/diagnostics.js';
import type { RebalanceListener } from './rebalance-listener.js';
import type { SubscriptionState } from './subscription-state.js';

/** What the consumer lends its group membership (either protocol) for assignment changes. */
export interface CoordinatorHooks {
  /** Commits what the application processed (auto-commit) before partitions are revoked. */
  commitBeforeRevoke(partitions: TopicPartition[]): Promise<void>;
  /** The assignment changed: drop buffered data of removed partitions. */
  onAssignmentChange(): void;
  /** Wake a waiting poll (a rebalance is needed). */
  wakeup(): void;
}

/**
 * Taking and giving up partitions, the same for the classic and the consumer group protocols:
 * the rebalance listener runs, auto-commit commits before a revocation, the fetcher drops what
 * it buffered, and the `samsa:client:rebalance` diagnostics channel hears of it.
 */
export class PartitionOwnership {
  constructor(
    private readonly subscriptions: SubscriptionState,
    private readonly listenerOf: () => RebalanceListener | undefined,
    private readonly hooks: CoordinatorHooks,
    private readonly member: () => { groupId: string; memberId: string; generationId: number },
  ) {}

  get owned(): TopicPartition[] {
    return this.subscriptions.assignedPartitions;
  }

  publish(event: RebalanceEvent['event'], partitions?: readonly TopicPartition[]): void {
    if (!rebalanceChannel.hasSubscribers) return;
    const message: RebalanceEvent = {
      ...this.member(),
      event,
      ...(partitions === undefined ? {} : { partitions }),
    };
    rebalanceChannel.publish(message);
  }

  /** Commits (auto-commit) and gives up `partitions`, telling the listener they are revoked. */
  async revoke(partitions: TopicPartition[]): Promise<void> {
    try {
      await this.hooks.commitBeforeRevoke(partitions);
    } catch {
      // Commit failures during revocation are reported by Java to the listener's caller only as logs.
    }
    this.publish('revoked', partitions);
    try {
      await this.listenerOf()?.onPartitionsRevoked?.(partitions);
    } finally {
      this.subscriptions.removePartitions(partitions);
      this.hooks.onAssignmentChange();
    }
  }

  /** Partitions that are someone else's already: no commit, tell the listener they are lost. */
  async loseAll(): Promise<void> {
    const owned = this.owned;
    if (owned.length === 0) return;
    this.publish('lost', owned);
    try {
      const listener = this.listenerOf();
      // Java's default onPartitionsLost calls onPartitionsRevoked.
      if (listener?.onPartitionsLost !== undefined) await listener.onPartitionsLost(owned);
      else await listener?.onPartitionsRevoked?.(owned);
    } finally {
      this.subscriptions.removePartitions(owned);
      this.hooks.onAssignmentChange();
    }
  }

  /** Takes `added`, then tells the listener (`told`: what it hears, all of the assignment for eager). */
  async assign(added: TopicPartition[], told: TopicPartition[] = added): Promise<void> {
    this.subscriptions.addPartitions(added);
    this.hooks.onAssignmentChange();
    this.publish('assigned', added);
    await this.listenerOf()?.onPartitionsAssigned?.(told);
  }
}
