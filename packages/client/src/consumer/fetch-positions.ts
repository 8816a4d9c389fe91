import { KafkaError } from '@samsa/protocol';
import { isolationLevel } from '../common/isolation-level.js';
import { tpKey } from '../common/topic-partition.js';
import type { ConsumerConfig } from '../config/client-config.js';
import { ClientError, ClientErrorCode } from '../errors/client-errors.js';
import { type Cluster, METADATA_ERRORS } from '../metadata/cluster.js';
import { listOffsets, OffsetSpec, offsetsForLeaderEpochs } from '../metadata/list-offsets.js';
import type { GroupMembership } from './group-membership.js';
import type { PartitionState, SubscriptionState } from './subscription-state.js';

export interface FetchPositionsHooks {
  /** An error for the next poll to throw (no offset with `auto.offset.reset=none`, truncation). */
  fail(error: Error): void;
  /** Drops buffered data of a partition whose position moved. */
  invalidate(topic: string, partition: number): void;
}

/**
 * Where each assigned partition's fetching starts (Kafka's OffsetFetcher and the position
 * validation of KIP-320): the group's committed offset, else `auto.offset.reset` through
 * ListOffsets; and whether a position still exists in the leader's log after the leader epoch
 * changed (or came from a commit with an epoch), asked with OffsetForLeaderEpoch.
 */
export class FetchPositions {
  /** Number of log truncations detected (and recovered from by resetting the position). */
  truncations = 0;

  constructor(
    private readonly config: ConsumerConfig,
    private readonly cluster: Cluster,
    private readonly subscriptions: SubscriptionState,
    private readonly coordinator: GroupMembership | undefined,
    private readonly hooks: FetchPositionsHooks,
  ) {}

  /** Committed offsets, resets and KIP-320 validation for partitions that need a position. */
  async update(): Promise<void> {
    const needCommitted: PartitionState[] = [];
    const toValidate: PartitionState[] = [];
    const toReset: PartitionState[] = [];
    for (const s of this.subscriptions.states()) {
      const leaderEpoch = this.cluster.topics.get(s.topic)?.partitions[s.partition]?.leaderEpoch ?? -1;
      // A new leader epoch: the log may have been truncated under our position (KIP-320).
      if (
        s.position !== null &&
        s.positionEpoch >= 0 &&
        s.validatedLeaderEpoch >= 0 &&
        leaderEpoch > s.validatedLeaderEpoch
      ) {
        s.awaitingValidation = true;
      }
      if (leaderEpoch >= 0 && !s.awaitingValidation) s.validatedLeaderEpoch = leaderEpoch;
      if (s.pendingReset !== null) toReset.push(s);
      else if (s.position === null) needCommitted.push(s);
      else if (s.awaitingValidation && s.nextValidationMs <= Date.now()) toValidate.push(s);
    }
    if (needCommitted.length > 0) {
      const committed = this.coordinator === undefined ? [] : await this.coordinator.fetchCommitted(needCommitted);
      const byKey = new Map(committed.map((c) => [tpKey(c.topic, c.partition), c]));
      for (const s of needCommitted) {
        const c = byKey.get(tpKey(s.topic, s.partition));
        if (c !== undefined && c.offset >= 0n) {
          s.seek(c.offset, c.leaderEpoch);
          s.committable = c.offset;
          s.committableEpoch = c.leaderEpoch;
          s.lastCommitted = c.offset;
          // A committed epoch lets us check the offset still exists in the leader's log.
          if (c.leaderEpoch >= 0) {
            s.awaitingValidation = true;
            toValidate.push(s);
          }
        } else if (this.config.autoOffsetReset === 'none') {
          throw new ClientError(
            ClientErrorCode.NO_OFFSET_FOR_PARTITION,
            `no committed offset for ${s.topic}-${s.partition} and auto.offset.reset is none`,
          );
        } else {
          s.pendingReset = this.config.autoOffsetReset;
          toReset.push(s);
        }
      }
    }
    if (toReset.length > 0) {
      const listed = await listOffsets(
        this.cluster,
        toReset.map((s) => ({
          topic: s.topic,
          partition: s.partition,
          timestamp: s.pendingReset === 'earliest' ? OffsetSpec.EARLIEST : OffsetSpec.LATEST,
        })),
        isolationLevel(this.config.isolationLevel),
        this.config.defaultApiTimeoutMs,
      );
      for (const l of listed) {
        const s = this.subscriptions.state(l.topic, l.partition);
        if (s === undefined || s.pendingReset === null) continue;
        s.seek(l.offset, l.leaderEpoch);
      }
    }
    if (toValidate.length > 0) await this.validate(toValidate);
  }

  /** KIP-320: asks the leader where our epoch ends; a position beyond it was truncated. */
  private async validate(states: PartitionState[]): Promise<void> {
    const results = await offsetsForLeaderEpochs(
      this.cluster,
      states.map((s) => ({ topic: s.topic, partition: s.partition, leaderEpoch: s.positionEpoch })),
    );
    for (const r of results) {
      const s = this.subscriptions.state(r.topic, r.partition);
      if (s === undefined || !s.awaitingValidation) continue;
      if (r.errorCode !== 0) {
        const error = new KafkaError(r.errorCode, `OffsetForLeaderEpoch ${r.topic}-${r.partition}`);
        if (error.retriable || METADATA_ERRORS.has(r.errorCode)) {
          // The leader is down, moving or behind our metadata: ask again after a backoff, as Java does.
          s.nextValidationMs = Date.now() + this.config.retryBackoffMs;
          this.cluster.requestUpdate();
          continue;
        }
        // UNSUPPORTED_VERSION or an old broker: skip validation, as Java does.
        s.awaitingValidation = false;
        continue;
      }
      s.awaitingValidation = false;
      s.validatedLeaderEpoch = this.cluster.topics.get(s.topic)?.partitions[s.partition]?.leaderEpoch ?? -1;
      if (r.endOffset >= 0n && s.position !== null && r.endOffset < s.position) this.handleTruncation(s, r.endOffset);
    }
  }

  handleTruncation(state: PartitionState, endOffset: bigint): void {
    if (state.position === null || endOffset >= state.position) return;
    if (this.config.autoOffsetReset === 'none') {
      this.hooks.fail(
        new ClientError(
          ClientErrorCode.LOG_TRUNCATION,
          `log truncation detected for ${state.topic}-${state.partition}: position ${state.position} is beyond the leader's end offset ${endOffset} for epoch ${state.positionEpoch}`,
        ),
      );
      state.awaitingValidation = true;
      return;
    }
    // Java resets to the first offset after the divergence, the closest safe position.
    state.seek(endOffset, -1);
    this.hooks.invalidate(state.topic, state.partition);
    this.truncations++;
  }

  resetAfterOutOfRange(state: PartitionState): void {
    if (this.config.autoOffsetReset === 'none') {
      this.hooks.fail(
        new ClientError(
          ClientErrorCode.NO_OFFSET_FOR_PARTITION,
          `offset ${state.position} is out of range for ${state.topic}-${state.partition} and auto.offset.reset is none`,
        ),
      );
      return;
    }
    state.pendingReset = this.config.autoOffsetReset;
  }
}
