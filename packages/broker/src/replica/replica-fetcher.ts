import {
  ApiKey,
  ErrorCode,
  type FetchRequestInput,
  type FetchRequestPlan,
  type FetchResponse,
  type FetchResponsePartitionData,
  FetchSessionHandler,
  fetchRequestTopics,
  isFullFetch,
  type ListOffsetsResponse,
  ZERO_UUID,
} from '@samsa/protocol';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import { type HeldResponse, InterBrokerClient } from '../network/inter-broker-client.js';
import type { InterBrokerSecurity } from '../network/inter-broker-security.js';
import type { Partition } from './partition.js';
import type { ReplicationQuota } from './replication-quota.js';

/** Fetch version followers send: names (not ids), lastFetchedEpoch and divergingEpoch (v12). */
const FETCH_VERSION = 12;
const LIST_OFFSETS_VERSION = 7;
/** Top-level errors that only reset the fetch session: the next (full) fetch goes out at once. */
const SESSION_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
  ErrorCode.INVALID_FETCH_SESSION_EPOCH,
  ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
]);

export interface ReplicaFetcherConfig {
  readonly brokerId: number;
  /** replica.fetch.max.bytes: per partition. */
  readonly fetchMaxBytes: number;
  /** replica.fetch.response.max.bytes: per response. */
  readonly responseMaxBytes: number;
  /** replica.fetch.wait.max.ms */
  readonly waitMaxMs: number;
  /** replica.fetch.min.bytes */
  readonly minBytes: number;
  /** replica.fetch.backoff.ms: after an error, before fetching that partition (or from that broker) again. */
  readonly backoffMs: number;
  /** replica.socket.timeout.ms */
  readonly socketTimeoutMs: number;
  /** The inter-broker listener's TLS and SASL, for the connection to the leader. */
  readonly security?: InterBrokerSecurity;
}

/** What a fetch asked for one partition, to match the answer against the partition's state now. */
interface SentFor {
  readonly entry: FetchedPartition;
  readonly fetchOffset: number;
}

export interface LeaderEndpoint {
  readonly brokerId: number;
  readonly host: string;
  readonly port: number;
}

interface FetchedPartition {
  readonly partition: Partition;
  /** The leader epoch this fetcher follows; a LeaderAndIsr with a newer one replaces the entry. */
  readonly leaderEpoch: number;
  /** No fetching before this time (backoff after an error). */
  delayedUntilMs: number;
  /** Caught up with the leader's high watermark at the last fetch (never throttled then). */
  inSync: boolean;
}

/**
 * One follower's fetch loop towards one leader (Kafka's ReplicaFetcherThread): a Fetch for all its
 * partitions from their log end offsets, the batches appended as received — offsets, epochs and
 * bytes untouched, no record decoded — then the leader's high watermark and log start offset
 * taken over.
 *
 * Fetches go through an incremental fetch session (KIP-227), as Kafka's followers' do: a full
 * request first, then requests naming only the partitions whose fetch position (or leader epoch)
 * moved, joined or left; the leader answers only partitions with new data or offsets. A session
 * error or a lost connection makes the next request a full one.
 *
 * Divergence (KIP-101/279, KIP-595): each partition carries the epoch of its last batch; a leader
 * whose history differs answers `divergingEpoch`, and the follower truncates to the smaller of the
 * two end offsets of that epoch before fetching again — never blindly to its high watermark, which
 * is what lost acknowledged data in Kafka ≤ 0.10. A fetch offset beyond the leader's log (after an
 * unclean election) truncates to the leader's end; one below its log start restarts the log there.
 */
export class ReplicaFetcher {
  private readonly partitions = new Map<string, FetchedPartition>();
  private readonly client: InterBrokerClient;
  /** The incremental fetch session with the leader (KIP-227). */
  private readonly session = new FetchSessionHandler();
  private running: Promise<void> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly leader: LeaderEndpoint,
    private readonly config: ReplicaFetcherConfig,
    private readonly logger: Logger,
    /** Fetch responses are assembled in its buffers and given back once appended. */
    bufferPool: BufferPool,
    /** The follower side of replication throttles (KIP-73). */
    private readonly quota?: ReplicationQuota,
  ) {
    this.client = new InterBrokerClient({
      host: leader.host,
      port: leader.port,
      clientId: `broker-${config.brokerId}-fetcher-${leader.brokerId}`,
      requestTimeoutMs: config.socketTimeoutMs + config.waitMaxMs,
      maxResponseBytes: config.responseMaxBytes * 2 + 1024 * 1024,
      pool: bufferPool,
      security: config.security,
    });
  }

  get partitionCount(): number {
    return this.partitions.size;
  }

  addPartition(partition: Partition, leaderEpoch: number): void {
    this.partitions.set(partition.name, { partition, leaderEpoch, delayedUntilMs: 0, inSync: false });
    this.running ??= this.run();
    this.wake?.();
  }

  removePartition(name: string): void {
    this.partitions.delete(name);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const now = Date.now();
      const due = [...this.partitions.values()].filter((p) => p.delayedUntilMs <= now);
      const ready = due.filter((p) => !this.throttled(p, now));
      if (ready.length === 0) {
        // Only throttled partitions are due: wait for the throttle's rate to fall (Kafka backs off).
        if (due.length > 0) for (const p of due) p.delayedUntilMs = now + this.config.backoffMs;
        const next = Math.min(...[...this.partitions.values()].map((p) => p.delayedUntilMs), now + 1000);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(10, next - now));
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        continue;
      }
      try {
        await this.fetchOnce(ready);
      } catch (err) {
        if (this.closed) return;
        this.logger.warn(
          { reason: (err as Error).message },
          `[ReplicaFetcher broker=${this.config.brokerId} leader=${this.leader.brokerId}] Error in fetch; backing off ${this.config.backoffMs} ms`,
        );
        for (const p of ready) p.delayedUntilMs = Date.now() + this.config.backoffMs;
      }
    }
  }

  /** A replica not in sync, of a throttled partition, while the throttle's rate is exceeded. */
  private throttled(entry: FetchedPartition, nowMs: number): boolean {
    const quota = this.quota;
    if (quota === undefined || entry.inSync || !quota.enabled) return false;
    return quota.isThrottled(entry.partition.topic, entry.partition.partition) && quota.isQuotaExceeded(nowMs);
  }

  private async fetchOnce(ready: readonly FetchedPartition[]): Promise<void> {
    // The session carries exactly the partitions ready now: one left out (backing off, throttled,
    // removed) leaves the leader's session, and joins it again when it is next fetched.
    const builder = this.session.newBuilder();
    const sent = new Map<string, SentFor>();
    for (const entry of ready) {
      const log = entry.partition.log;
      const fetchOffset = log.logEndOffset;
      sent.set(entry.partition.name, { entry, fetchOffset });
      builder.add(entry.partition.topic, entry.partition.partition, {
        topicId: ZERO_UUID,
        fetchOffset: BigInt(fetchOffset),
        logStartOffset: BigInt(log.logStartOffset),
        partitionMaxBytes: this.config.fetchMaxBytes,
        currentLeaderEpoch: entry.leaderEpoch,
        lastFetchedEpoch: log.leaderEpochCache.latestEpoch ?? -1,
      });
    }
    const plan = builder.build();
    const request: FetchRequestInput = {
      replicaId: this.config.brokerId,
      maxWaitMs: this.config.waitMaxMs,
      minBytes: this.config.minBytes,
      maxBytes: this.config.responseMaxBytes,
      isolationLevel: 0,
      sessionId: plan.metadata.sessionId,
      sessionEpoch: plan.metadata.epoch,
      ...fetchRequestTopics(plan, FETCH_VERSION),
      rackId: '',
    };
    let held: HeldResponse<FetchResponse>;
    try {
      held = await this.client.sendHolding<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, request);
    } catch (err) {
      this.session.handleError();
      throw err;
    }
    try {
      await this.handleFetchResponse(plan, sent, held.body);
    } finally {
      // The batches were written to the log (or dropped); nothing keeps a view of the frame.
      held.release();
    }
  }

  private async handleFetchResponse(
    plan: FetchRequestPlan,
    sent: Map<string, SentFor>,
    response: FetchResponse,
  ): Promise<void> {
    const established = isFullFetch(plan.metadata) && response.sessionId !== 0;
    if (!this.session.handleResponse(response, FETCH_VERSION)) {
      // The partitions' data (if any) is not trusted, and the next request is a full one: at
      // once after a session error, as Kafka's follower does; after any other error, once the
      // backoff has passed.
      const problem = `Fetch session ${plan.metadata.sessionId} (epoch ${plan.metadata.epoch}) refused: ${this.session.lastProblem}; the next fetch is a full one`;
      if (response.errorCode !== ErrorCode.NONE && !SESSION_ERRORS.has(response.errorCode)) throw new Error(problem);
      this.logger.info(`[ReplicaFetcher broker=${this.config.brokerId} leader=${this.leader.brokerId}] ${problem}`);
      return;
    }
    if (established) {
      this.logger.info(
        `[ReplicaFetcher broker=${this.config.brokerId} leader=${this.leader.brokerId}] Established fetch session ${response.sessionId} with ${plan.sessionPartitions.size} partition(s)`,
      );
    }
    for (const topic of response.responses) {
      for (const data of topic.partitions) {
        const name = `${topic.topic}-${data.partitionIndex}`;
        const sentFor = sent.get(name);
        const current = this.partitions.get(name);
        // The partition was removed or re-added (new leader epoch) while the fetch was out.
        if (sentFor === undefined || current !== sentFor.entry) continue;
        try {
          await this.processPartition(sentFor.entry, sentFor.fetchOffset, data);
        } catch (err) {
          this.logger.error(
            { err },
            `[ReplicaFetcher broker=${this.config.brokerId}] could not process the fetch of ${name}`,
          );
          sentFor.entry.delayedUntilMs = Date.now() + this.config.backoffMs;
        }
      }
    }
  }

  private async processPartition(
    entry: FetchedPartition,
    fetchOffset: number,
    data: FetchResponsePartitionData,
  ): Promise<void> {
    const partition = entry.partition;
    const log = partition.log;
    if (partition.isLeader || partition.leaderEpoch !== entry.leaderEpoch) return;
    switch (data.errorCode) {
      case ErrorCode.NONE: {
        if (log.logEndOffset !== fetchOffset) return;
        const diverging = data.divergingEpoch;
        if (diverging.epoch >= 0 && diverging.endOffset >= 0n) {
          this.truncateOnDivergence(partition, diverging.epoch, Number(diverging.endOffset));
          return;
        }
        const records = completeBatches(data.records);
        if (records.length > 0) partition.appendRecordsAsFollower(records);
        if (records.length > 0 && this.quota?.isThrottled(partition.topic, partition.partition) === true) {
          this.quota.record(records.length);
        }
        partition.updateFollowerHighWatermark(Number(data.highWatermark));
        entry.inSync = log.logEndOffset >= Number(data.highWatermark);
        if (data.logStartOffset > BigInt(log.logStartOffset))
          log.followLeaderLogStartOffset(Number(data.logStartOffset));
        return;
      }
      case ErrorCode.OFFSET_OUT_OF_RANGE:
        await this.handleOutOfRange(entry);
        return;
      case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      case ErrorCode.FENCED_LEADER_EPOCH:
      case ErrorCode.UNKNOWN_LEADER_EPOCH:
      case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      case ErrorCode.UNKNOWN_TOPIC_ID:
        // Leadership is moving; the controller's next LeaderAndIsr will say where to fetch from.
        entry.delayedUntilMs = Date.now() + this.config.backoffMs;
        return;
      default:
        this.logger.warn(
          `[ReplicaFetcher broker=${this.config.brokerId}] error ${data.errorCode} fetching ${partition.name}`,
        );
        entry.delayedUntilMs = Date.now() + this.config.backoffMs;
    }
  }

  /** KIP-279: truncate to the smaller end offset of the largest epoch both logs share. */
  private truncateOnDivergence(partition: Partition, leaderEpoch: number, leaderEndOffset: number): void {
    const log = partition.log;
    const local = log.leaderEpochCache.endOffsetFor(leaderEpoch, log.logEndOffset);
    const localEnd = local.endOffset < 0 ? leaderEndOffset : local.endOffset;
    const target = Math.min(leaderEndOffset, localEnd, log.logEndOffset);
    this.logger.info(
      `[ReplicaFetcher broker=${this.config.brokerId}] Truncating ${partition.name} to offset ${target} (the leader's epoch ${leaderEpoch} ends at ${leaderEndOffset}; log end offset was ${log.logEndOffset})`,
    );
    log.truncateTo(target);
  }

  /**
   * The fetch offset is outside the leader's log: beyond its end after an unclean election (this
   * replica had records the new leader never got: truncate them), or below its start (this replica
   * fell behind retention: start again at the leader's log start).
   */
  private async handleOutOfRange(entry: FetchedPartition): Promise<void> {
    const partition = entry.partition;
    const log = partition.log;
    const leaderEnd = await this.leaderOffset(partition, -1n, entry.leaderEpoch);
    if (leaderEnd < log.logEndOffset) {
      this.logger.warn(
        `[ReplicaFetcher broker=${this.config.brokerId}] Truncating ${partition.name} from ${log.logEndOffset} to the leader's end offset ${leaderEnd} (an unclean leader election lost these records)`,
      );
      log.truncateTo(leaderEnd);
      return;
    }
    const leaderStart = await this.leaderOffset(partition, -2n, entry.leaderEpoch);
    if (log.logEndOffset < leaderStart) {
      this.logger.info(
        `[ReplicaFetcher broker=${this.config.brokerId}] Restarting ${partition.name} at the leader's log start offset ${leaderStart}`,
      );
      log.truncateFullyAndStartAt(leaderStart);
    }
  }

  private async leaderOffset(partition: Partition, timestamp: bigint, leaderEpoch: number): Promise<number> {
    const response = await this.client.send<ListOffsetsResponse>(ApiKey.ListOffsets, LIST_OFFSETS_VERSION, {
      replicaId: this.config.brokerId,
      isolationLevel: 0,
      topics: [
        {
          name: partition.topic,
          partitions: [{ partitionIndex: partition.partition, currentLeaderEpoch: leaderEpoch, timestamp }],
        },
      ],
    });
    const result = response.topics[0]?.partitions[0];
    if (result === undefined || result.errorCode !== ErrorCode.NONE) {
      throw new Error(`ListOffsets for ${partition.name} failed with error code ${result?.errorCode}`);
    }
    return Number(result.offset);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.partitions.clear();
    this.wake?.();
    this.client.close();
    await this.running?.catch(() => undefined);
  }
}

/**
 * The whole batches at the start of `records`: a fetch response may end in a partial batch, cut at
 * the size limit. Walks batch headers only (the length field), never the records.
 */
export function completeBatches(records: Buffer | null): Buffer {
  if (records === null) return Buffer.alloc(0);
  let position = 0;
  while (position + 12 <= records.length) {
    const size = 12 + records.readInt32BE(position + 8);
    if (size < 12 || position + size > records.length) break;
    position += size;
  }
  return position === records.length ? records : records.subarray(0, position);
}
