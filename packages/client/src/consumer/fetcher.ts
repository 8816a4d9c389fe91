import {
  BatchAttributes,
  ErrorCode,
  FetchApi,
  type FetchResponse,
  FetchSessionHandler,
  fetchRequestTopics,
  iterateRecordBatches,
  KafkaError,
  RecordBatchIterator,
  type RecordBatchSpan,
  ZERO_UUID,
} from '@samsa/protocol';
import { isolationLevel } from '../common/isolation-level.js';
import type { RecordHeader } from '../common/record-header.js';
import { tpKey } from '../common/topic-partition.js';
import type { ConsumerConfig } from '../config/client-config.js';
import { type Cluster, METADATA_ERRORS } from '../metadata/cluster.js';
import type { Deserializer } from '../serdes/serdes.js';
import type { ConsumerRecord } from './consumer-record.js';
import type { PartitionState, SubscriptionState } from './subscription-state.js';

type PartitionData = FetchResponse['responses'][number]['partitions'][number];

/** The client's Fetch stops at v12 (topics by name), which is what the session handler reads. */
const FETCH_VERSION_NAMES = 12;
/** Top-level errors that only reset a fetch session; the next fetch (a full one) repairs them. */
const SESSION_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
  ErrorCode.INVALID_FETCH_SESSION_EPOCH,
  ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
]);

/**
 * The data of one partition from one Fetch response, consumed record by record across polls
 * (Kafka's CompletedFetch). Batches are validated lazily as they are reached; a partially
 * consumed fetch stays at the head of the queue.
 */
class CompletedFetch {
  private readonly batches: Generator<RecordBatchSpan, number, undefined> | undefined;
  private current: RecordBatchIterator | undefined;
  private currentSpan: RecordBatchSpan | undefined;
  /** Producer IDs whose transactions are aborted at this point (read_committed). */
  private readonly abortedProducers = new Set<number>();
  private readonly abortedQueue: { producerId: number; firstOffset: bigint }[];
  /** The offset the next record must have; records before it are skipped. */
  nextOffset: bigint;
  exhausted = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly data: PartitionData,
    fetchOffset: bigint,
    checkCrcs: boolean,
    readCommitted: boolean,
  ) {
    this.nextOffset = fetchOffset;
    this.batches =
      data.records === null || data.records.length === 0
        ? undefined
        : iterateRecordBatches(data.records, { verifyCrc: checkCrcs });
    this.abortedQueue =
      readCommitted && data.abortedTransactions !== null
        ? [...data.abortedTransactions]
            .map((a) => ({ producerId: Number(a.producerId), firstOffset: a.firstOffset }))
            .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0))
        : [];
    if (this.batches === undefined) this.exhausted = true;
  }

  /** Appends up to `max` records to `out`; returns how many it added. */
  drain(
    max: number,
    out: ConsumerRecord<unknown, unknown>[],
    keyDeserializer: Deserializer<unknown>,
    valueDeserializer: Deserializer<unknown>,
    state: PartitionState,
  ): number {
    let added = 0;
    // The position as a number while records go out (a bigint per record cost two allocations),
    // written back as `nextOffset` when the call ends, by an error too.
    let nextOffsetNumber = Number(this.nextOffset);
    let lastDelivered: bigint | undefined;
    try {
      while (added < max && !this.exhausted) {
        if (this.current === undefined || this.current.remainingRecords === 0) {
          if (this.currentSpan !== undefined) {
            // A batch's end moves the position past it, even when its last records were compacted away.
            const last = BigInt(this.currentSpan.header.baseOffset + this.currentSpan.header.lastOffsetDelta) + 1n;
            if (last > this.nextOffset) this.nextOffset = last;
            nextOffsetNumber = Number(this.nextOffset);
            this.currentSpan = undefined;
            this.current = undefined;
          }
          const step = (this.batches as Generator<RecordBatchSpan, number, undefined>).next();
          if (step.done === true) {
            this.exhausted = true;
            break;
          }
          const span = step.value;
          const header = span.header;
          const lastOffset = BigInt(header.baseOffset + header.lastOffsetDelta);
          if (lastOffset < this.nextOffset) continue;
          const isControl = (header.attributes & BatchAttributes.CONTROL) !== 0;
          const isTransactional = (header.attributes & BatchAttributes.TRANSACTIONAL) !== 0;
          // read_committed: producers whose aborted transaction starts at or before this batch.
          while (this.abortedQueue.length > 0 && (this.abortedQueue[0]?.firstOffset ?? 0n) <= lastOffset) {
            this.abortedProducers.add((this.abortedQueue.shift() as { producerId: number }).producerId);
          }
          if (isControl) {
            // An ABORT marker ends that producer's aborted transaction.
            if (isTransactional) this.abortedProducers.delete(header.producerId);
            this.nextOffset = lastOffset + 1n;
            nextOffsetNumber = Number(this.nextOffset);
            continue;
          }
          if (isTransactional && this.abortedProducers.has(header.producerId)) {
            this.nextOffset = lastOffset + 1n;
            nextOffsetNumber = Number(this.nextOffset);
            continue;
          }
          this.currentSpan = span;
          this.current = new RecordBatchIterator(span.bytes, 0, { verifyCrc: false });
          if (header.recordsCount === 0) continue;
        }
        const iterator = this.current as RecordBatchIterator;
        const header = iterator.header;
        const record = iterator.nextRecord();
        if (record === undefined) continue;
        // Compared as numbers (offsets are safe integers): no bigint for a record skipped.
        if (record.offset < nextOffsetNumber) continue;
        const offset = BigInt(record.offset);
        const headers = record.headers as readonly RecordHeader[];
        const key = record.key === null ? null : keyDeserializer(record.key, this.topic, headers);
        const value = record.value === null ? null : valueDeserializer(record.value, this.topic, headers);
        out.push({
          topic: this.topic,
          partition: this.partition,
          offset,
          timestamp: record.timestamp,
          timestampType:
            (header.attributes & BatchAttributes.TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? 'LogAppendTime' : 'CreateTime',
          key,
          value,
          headers,
          leaderEpoch: header.partitionLeaderEpoch,
          serializedKeySize: record.key === null ? -1 : record.key.length,
          serializedValueSize: record.value === null ? -1 : record.value.length,
        });
        nextOffsetNumber = record.offset + 1;
        lastDelivered = offset;
        state.positionEpoch = header.partitionLeaderEpoch;
        added++;
      }
    } finally {
      if (lastDelivered !== undefined && lastDelivered + 1n > this.nextOffset) this.nextOffset = lastDelivered + 1n;
    }
    return added;
  }
}

/** A partition to fetch: from its position, or (pre-fetch) from the end of its buffered data. */
interface FetchTarget {
  readonly state: PartitionState;
  readonly offset: bigint;
  readonly lastFetchedEpoch: number;
}

interface BufferedTail {
  /** Buffered responses of the partition (at most two: one consumed, one fetched ahead). */
  count: number;
  /** The offset after the last complete batch of the newest response; undefined: not known (no pre-fetch). */
  endOffset: bigint | undefined;
  /** That batch's partition leader epoch (KIP-320's last fetched epoch for the pre-fetch). */
  endEpoch: number;
  /** A pre-fetch answered with an error: no more until the buffered data is consumed. */
  prefetchFailed: boolean;
}

/**
 * The offset after the last complete record batch and its leader epoch, from the batch headers
 * (v2: base offset at 0, length at 8, epoch at 12, magic at 16, last offset delta at 23).
 * Undefined when there is none or a batch is of an older format.
 */
function endOfBatches(records: Buffer): { offset: bigint; epoch: number } | undefined {
  let end: { offset: bigint; epoch: number } | undefined;
  let at = 0;
  while (at + 27 <= records.length) {
    const length = records.readInt32BE(at + 8);
    // Shorter than a v2 header: corrupt, which draining the batch reports.
    if (length < 49) return undefined;
    const next = at + 12 + length;
    if (next > records.length) break;
    if (records[at + 16] !== 2) return undefined;
    end = {
      offset: records.readBigInt64BE(at) + BigInt(records.readInt32BE(at + 23)) + 1n,
      epoch: records.readInt32BE(at + 12),
    };
    at = next;
  }
  return end;
}

export interface FetcherHooks {
  /** A partition's position is out of range: apply the reset policy (or fail). */
  onOffsetOutOfRange(state: PartitionState): void;
  /** The leader reported a diverging epoch (KIP-320): the log was truncated below the position. */
  onDivergingEpoch(state: PartitionState, epoch: number, endOffset: bigint): void;
  /** Something arrived (data or an error): wake a waiting poll. */
  onData(): void;
  onError(error: Error): void;
}

/**
 * Issues Fetch requests and buffers their data (Kafka's Fetcher). At most one fetch is in flight
 * per broker. A partition with one response buffered is fetched once more, from the end of that
 * response (as librdkafka pre-fetches), so its next data is on its way while the application
 * processes the current one; with two buffered it waits until the first is consumed. So memory
 * stays bounded by two responses per partition. Java's consumer does not fetch a partition with
 * buffered data at all: its next fetch then waits for the one in flight to the same broker, which
 * is a long poll of up to `fetch.max.wait.ms` when the broker's other partitions are idle — a
 * stall per response for a consumer whose only busy partition is, say, a repartition topic.
 * Fetches are long polls (`fetch.max.wait.ms`, `fetch.min.bytes`).
 *
 * Each broker's fetches go through an incremental fetch session (KIP-227), as Java's consumer's
 * do: a full request first, then only the partitions whose position changed, joined or left
 * (a partition with two responses buffered leaves until one is consumed), and the broker answers only
 * partitions with something new.
 */
export class Fetcher {
  private readonly completed: CompletedFetch[] = [];
  private readonly inFlight = new Set<number>();
  /**
   * KIP-392: replicas a leader told this consumer to read from (its `client.rack`), by partition,
   * until metadata.max.age.ms passes or that replica answers with an error.
   */
  private readonly preferredReplicas = new Map<string, { nodeId: number; untilMs: number }>();
  /** Partitions with buffered responses: how many, and where the last one ends (the pre-fetch offset). */
  private readonly buffered = new Map<string, BufferedTail>();
  /** One incremental fetch session per broker fetched from. */
  private readonly sessions = new Map<number, FetchSessionHandler>();
  private closed = false;
  /** Bumped by seeks and assignment changes so responses to older fetches are dropped. */
  private epoch = 0;

  constructor(
    private readonly config: ConsumerConfig,
    private readonly cluster: Cluster,
    private readonly subscriptions: SubscriptionState,
    private readonly keyDeserializer: Deserializer<unknown>,
    private readonly valueDeserializer: Deserializer<unknown>,
    private readonly hooks: FetcherHooks,
  ) {}

  /** Drops buffered data (after a seek or an assignment change). */
  invalidate(topic?: string, partition?: number): void {
    this.epoch++;
    if (topic === undefined) {
      this.completed.length = 0;
      this.buffered.clear();
      return;
    }
    for (let i = this.completed.length - 1; i >= 0; i--) {
      const c = this.completed[i] as CompletedFetch;
      if (c.topic === topic && c.partition === partition) this.completed.splice(i, 1);
    }
    this.buffered.delete(tpKey(topic, partition as number));
  }

  get hasBufferedData(): boolean {
    return this.completed.length > 0;
  }

  /** Sends a fetch to every leader with fetchable partitions and no fetch in flight. */
  sendFetches(): void {
    if (this.closed) return;
    const byLeader = new Map<number, FetchTarget[]>();
    for (const state of this.subscriptions.states()) {
      if (!state.fetchable || state.position === null) continue;
      const tail = this.buffered.get(tpKey(state.topic, state.partition));
      if (tail !== undefined && (tail.count > 1 || tail.endOffset === undefined || tail.prefetchFailed)) continue;
      const leader = this.nodeToFetchFrom(state.topic, state.partition);
      if (leader < 0) {
        this.cluster.requestUpdate();
        continue;
      }
      if (this.inFlight.has(leader)) continue;
      const list = byLeader.get(leader) ?? [];
      list.push(
        tail === undefined
          ? { state, offset: state.position, lastFetchedEpoch: state.positionEpoch }
          : { state, offset: tail.endOffset as bigint, lastFetchedEpoch: tail.endEpoch },
      );
      byLeader.set(leader, list);
    }
    if (this.cluster.needsUpdate)
      this.cluster.refresh().then(
        () => this.hooks.onData(),
        () => {},
      );
    for (const [leader, states] of byLeader) this.fetchFrom(leader, states);
  }

  /** The partition's preferred read replica while it holds, else its leader. */
  private nodeToFetchFrom(topic: string, partition: number): number {
    const key = tpKey(topic, partition);
    const preferred = this.preferredReplicas.get(key);
    if (preferred !== undefined) {
      if (Date.now() < preferred.untilMs && this.cluster.brokers.has(preferred.nodeId)) return preferred.nodeId;
      this.preferredReplicas.delete(key);
    }
    return this.cluster.leaderOf(topic, partition);
  }

  private fetchFrom(leader: number, targets: FetchTarget[]): void {
    this.inFlight.add(leader);
    const epoch = this.epoch;
    let session = this.sessions.get(leader);
    if (session === undefined) {
      session = new FetchSessionHandler();
      this.sessions.set(leader, session);
    }
    const builder = session.newBuilder();
    const offsets = new Map<string, bigint>();
    for (const { state: s, offset, lastFetchedEpoch } of targets) {
      offsets.set(tpKey(s.topic, s.partition), offset);
      builder.add(s.topic, s.partition, {
        topicId: ZERO_UUID,
        fetchOffset: offset,
        logStartOffset: -1n,
        partitionMaxBytes: this.config.maxPartitionFetchBytes,
        currentLeaderEpoch: this.cluster.topics.get(s.topic)?.partitions[s.partition]?.leaderEpoch ?? -1,
        // KIP-320 (v12): the epoch of the last record fetched lets the leader report divergence.
        lastFetchedEpoch,
      });
    }
    const plan = builder.build();
    const request = {
      replicaId: -1,
      maxWaitMs: this.config.fetchMaxWaitMs,
      minBytes: this.config.fetchMinBytes,
      maxBytes: this.config.fetchMaxBytes,
      isolationLevel: isolationLevel(this.config.isolationLevel),
      sessionId: plan.metadata.sessionId,
      sessionEpoch: plan.metadata.epoch,
      ...fetchRequestTopics(plan, FETCH_VERSION_NAMES),
      rackId: this.config.clientRack,
    };
    this.cluster
      .connectionTo(leader)
      .then((connection) =>
        connection.request(FetchApi, request, {
          timeoutMs: this.config.requestTimeoutMs + this.config.fetchMaxWaitMs,
        }),
      )
      .then(
        (response) => {
          if (!session.handleResponse(response, FETCH_VERSION_NAMES)) {
            // A session error is repaired by the next (full) fetch; anything else is reported.
            if (!SESSION_ERRORS.has(response.errorCode) && response.errorCode !== ErrorCode.NONE) {
              this.hooks.onError(new KafkaError(response.errorCode, 'Fetch'));
            }
            return;
          }
          if (epoch === this.epoch) this.handleResponse(response, offsets, leader);
          else this.handleStaleResponse(response, offsets, leader);
        },
        (error: Error) => {
          session.handleError();
          this.cluster.requestUpdate();
          if (!(error instanceof KafkaError) || !error.retriable) this.hooks.onError(error);
        },
      )
      .finally(() => {
        this.inFlight.delete(leader);
        this.hooks.onData();
      });
  }

  /** A response to a fetch sent before a seek: keep only partitions whose position did not change. */
  private handleStaleResponse(response: FetchResponse, offsets: Map<string, bigint>, nodeId: number): void {
    const current = new Map<string, bigint>();
    for (const [key, offset] of offsets) {
      const [topic, partition] = [
        key.slice(0, key.lastIndexOf('\u0000')),
        Number(key.slice(key.lastIndexOf('\u0000') + 1)),
      ];
      const state = this.subscriptions.state(topic, partition);
      if (state !== undefined && state.position === offset && !this.buffered.has(key)) current.set(key, offset);
    }
    this.handleResponse(response, current, nodeId);
  }

  private handleResponse(response: FetchResponse, offsets: Map<string, bigint>, nodeId: number): void {
    if (response.errorCode !== 0) {
      this.hooks.onError(new KafkaError(response.errorCode, 'Fetch'));
      return;
    }
    const readCommitted = this.config.isolationLevel === 'read_committed';
    for (const t of response.responses) {
      for (const p of t.partitions) {
        const key = tpKey(t.topic, p.partitionIndex);
        const fetchOffset = offsets.get(key);
        const state = this.subscriptions.state(t.topic, p.partitionIndex);
        if (fetchOffset === undefined || state === undefined) continue;
        const tail = this.buffered.get(key);
        if (fetchOffset !== (tail === undefined ? state.position : tail.endOffset)) continue;
        if (tail !== undefined && (p.errorCode !== 0 || p.divergingEpoch.epoch >= 0)) {
          // A pre-fetch that failed: the fetch from the position, once the buffered data is
          // consumed, meets the same answer and handles it (reset, truncation). Metadata and a
          // preferred replica that failed are seen to now, so that fetch goes to the right broker.
          tail.prefetchFailed = true;
          if (this.preferredReplicas.get(key)?.nodeId === nodeId) this.preferredReplicas.delete(key);
          if (METADATA_ERRORS.has(p.errorCode)) this.cluster.requestUpdate();
          continue;
        }
        const fromPreferred = this.preferredReplicas.get(key)?.nodeId === nodeId;
        if (p.errorCode !== 0 && fromPreferred) {
          // Any trouble with the preferred replica (behind, gone, no longer a replica): back to
          // the leader, which decides again — never an offset reset on a follower's word.
          this.preferredReplicas.delete(key);
          continue;
        }
        if (p.preferredReadReplica >= 0 && p.preferredReadReplica !== nodeId) {
          this.preferredReplicas.set(key, {
            nodeId: p.preferredReadReplica,
            untilMs: Date.now() + this.config.metadataMaxAgeMs,
          });
          if (!this.cluster.brokers.has(p.preferredReadReplica)) this.cluster.requestUpdate();
          continue;
        }
        if (p.errorCode !== 0) {
          if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) this.hooks.onOffsetOutOfRange(state);
          else if (METADATA_ERRORS.has(p.errorCode) || p.errorCode === ErrorCode.OFFSET_NOT_AVAILABLE) {
            this.cluster.requestUpdate();
          } else this.hooks.onError(new KafkaError(p.errorCode, `fetching ${t.topic}-${p.partitionIndex}`));
          continue;
        }
        if (p.divergingEpoch.epoch >= 0) {
          this.hooks.onDivergingEpoch(state, p.divergingEpoch.epoch, p.divergingEpoch.endOffset);
          continue;
        }
        state.highWatermark = p.highWatermark;
        state.lastStableOffset = p.lastStableOffset;
        state.logStartOffset = p.logStartOffset;
        if (p.records === null || p.records.length === 0) continue;
        const completed = new CompletedFetch(
          t.topic,
          p.partitionIndex,
          p,
          fetchOffset,
          this.config.checkCrcs,
          readCommitted,
        );
        this.completed.push(completed);
        const end = endOfBatches(p.records);
        this.buffered.set(key, {
          count: (tail?.count ?? 0) + 1,
          endOffset: end?.offset,
          endEpoch: end?.epoch ?? -1,
          prefetchFailed: false,
        });
      }
    }
  }

  /**
   * Up to `max` records from buffered data, advancing each partition's position. Data of
   * partitions no longer assigned, paused or moved by a seek is dropped or kept as appropriate.
   */
  collect(max: number): ConsumerRecord<unknown, unknown>[] {
    const out: ConsumerRecord<unknown, unknown>[] = [];
    let i = 0;
    while (out.length < max && i < this.completed.length) {
      const c = this.completed[i] as CompletedFetch;
      const key = tpKey(c.topic, c.partition);
      const state = this.subscriptions.state(c.topic, c.partition);
      // A paused partition keeps its responses, the pre-fetched one behind the current one too
      // (its offset is not the position yet): they are checked once it resumes.
      if (state?.paused === true) {
        i++;
        continue;
      }
      if (state === undefined || state.position === null || state.position !== c.nextOffset) {
        this.completed.splice(i, 1);
        this.release(key, true);
        continue;
      }
      try {
        c.drain(max - out.length, out, this.keyDeserializer, this.valueDeserializer, state);
      } catch (error) {
        // A corrupt batch: drop the fetch, keep the position, and report. Records before it stand.
        state.position = c.nextOffset;
        // What was fetched after the corrupt batch starts past the position: drop it too.
        for (let j = this.completed.length - 1; j >= i; j--) {
          const other = this.completed[j] as CompletedFetch;
          if (other.topic === c.topic && other.partition === c.partition) this.completed.splice(j, 1);
        }
        this.buffered.delete(key);
        if (out.length > 0) break;
        throw error;
      }
      state.position = c.nextOffset;
      if (c.exhausted) {
        this.completed.splice(i, 1);
        this.release(key);
      } else i++;
    }
    return out;
  }

  /**
   * One buffered response of the partition is consumed or dropped. A drop that leaves another
   * response also ends pre-fetching from the newest one's end until the partition is drained.
   */
  private release(key: string, dropped = false): void {
    const tail = this.buffered.get(key);
    if (tail === undefined) return;
    if (tail.count <= 1) {
      this.buffered.delete(key);
      return;
    }
    tail.count--;
    if (dropped) tail.endOffset = undefined;
  }

  close(): void {
    this.closed = true;
    this.completed.length = 0;
  }
}
