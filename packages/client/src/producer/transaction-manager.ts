import {
  AddOffsetsToTxnApi,
  AddPartitionsToTxnApi,
  CoordinatorType,
  EndTxnApi,
  ErrorCode,
  InitProducerIdApi,
  KafkaError,
  TxnOffsetCommitApi,
} from '@samsa/protocol';
import type { Connection } from '../connection/connection.js';
import { sleep } from '../connection/connection-pool.js';
import { ClientError, ClientErrorCode } from '../errors/client-errors.js';
import type { Cluster } from '../metadata/cluster.js';
import { findCoordinator } from '../metadata/find-coordinator.js';

export type TransactionState =
  | 'UNINITIALIZED'
  | 'READY'
  | 'IN_TRANSACTION'
  | 'COMMITTING'
  | 'ABORTING'
  | 'ABORTABLE_ERROR'
  | 'FATAL_ERROR';

/** What `sendOffsetsToTransaction` needs to know of the consumer (Java's ConsumerGroupMetadata). */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume (last processed + 1). */
  readonly offset: bigint;
  readonly leaderEpoch?: number;
  readonly metadata?: string | null;
}

/**
 * Errors after which a transactional producer can only be closed (Java's fatal errors). Every
 * other error of a transaction leaves it abortable — notably TRANSACTION_ABORTABLE (KIP-890),
 * which a broker answers when a batch or offset commit is not part of the producer's ongoing
 * transaction: aborting makes the transactional id usable again.
 */
const FATAL = new Set<number>([
  ErrorCode.PRODUCER_FENCED,
  ErrorCode.INVALID_PRODUCER_EPOCH,
  ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCode.INVALID_TRANSACTION_TIMEOUT,
  ErrorCode.UNSUPPORTED_VERSION,
]);

/** Whether `error` leaves a transactional producer unusable (fenced, unauthorized, ...): close it. */
export function isFatalTransactionError(error: unknown): boolean {
  return error instanceof KafkaError && FATAL.has(error.errorCode);
}

/**
 * The producer's identity and transaction state (Kafka's TransactionManager).
 *
 * Idempotence: a producer ID and epoch from InitProducerId; sequence numbers live per partition
 * in the accumulator. After a sequence error the epoch is bumped (KIP-360: InitProducerId v3+
 * with the current ID and epoch), which restarts every partition's sequence at 0 instead of
 * failing the producer; brokers older than v3 give a fresh producer ID instead.
 *
 * Transactions: the state machine UNINITIALIZED → READY → IN_TRANSACTION → COMMITTING/ABORTING
 * → READY, with AddPartitionsToTxn before a partition's first batch, AddOffsetsToTxn plus
 * TxnOffsetCommit for consumer offsets, and EndTxn. With EndTxn v5 (KIP-890 part 2, transaction
 * version 2) the coordinator bumps the epoch at every EndTxn and answers the producer id and epoch
 * to continue with; the next transaction's batches then restart every partition's sequence at 0
 * (the sender restamps on an epoch change, as after a KIP-360 bump). Unlike Java, which waits for
 * the `transaction.version` feature, v5 is used whenever the coordinator offers it.
 */
export class TransactionManager {
  producerId = -1;
  producerEpoch = -1;
  state: TransactionState = 'UNINITIALIZED';
  needsEpochBump = false;
  private initializing: Promise<void> | undefined;
  private coordinator: number | undefined;
  /** Partitions (`topic:partition`) added to the current transaction. */
  private readonly added = new Set<string>();
  /** Partitions with records in the current transaction not yet added. */
  private readonly pending = new Map<string, { topic: string; partition: number }>();
  private adding: Promise<void> | undefined;
  /** An AddPartitionsToTxn was sent in this transaction (its outcome may be unknown). */
  private addAttempted = false;
  /** AddOffsetsToTxn succeeded: the group's offsets partition is in the transaction. */
  private offsetsAdded = false;
  lastError: Error | undefined;

  constructor(
    private readonly cluster: Cluster,
    readonly transactionalId: string | null,
    private readonly transactionTimeoutMs: number,
    private readonly timeoutMs: number,
  ) {}

  get isTransactional(): boolean {
    return this.transactionalId !== null;
  }

  get hasProducerId(): boolean {
    return this.producerId >= 0;
  }

  /** InitProducerId for the idempotent (non-transactional) producer; shared by concurrent callers. */
  ensureProducerId(): Promise<void> {
    if (this.hasProducerId && !this.needsEpochBump) return Promise.resolve();
    this.initializing ??= this.initProducerId(this.needsEpochBump).finally(() => {
      this.initializing = undefined;
    });
    return this.initializing;
  }

  private async connection(): Promise<Connection> {
    if (this.transactionalId === null) return this.cluster.anyConnection();
    if (this.coordinator === undefined) {
      const c = await findCoordinator(this.cluster, CoordinatorType.TRANSACTION, this.transactionalId, this.timeoutMs);
      this.coordinator = c.nodeId;
      if (!this.cluster.brokers.has(c.nodeId)) {
        this.cluster.brokers.set(c.nodeId, { nodeId: c.nodeId, host: c.host, port: c.port, rack: null });
      }
    }
    const broker = this.cluster.brokers.get(this.coordinator);
    if (broker === undefined) return this.cluster.connectionTo(this.coordinator);
    return this.cluster.pool.get(broker.host, broker.port, broker.nodeId, undefined, 'coordinator');
  }

  /**
   * Runs one request to the transaction coordinator until it succeeds, retrying retriable errors
   * and CONCURRENT_TRANSACTIONS with backoff for up to the producer's timeout (max.block.ms).
   * An error that says the coordinator moved or is unreachable (NOT_COORDINATOR, a lost connection,
   * a timeout) makes the next attempt look the coordinator up again, as Java's TransactionManager
   * does after a disconnection.
   */
  private async toCoordinator<T>(attempt: (connection: Connection) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    let backoffMs = this.cluster.config.retryBackoffMs;
    for (;;) {
      try {
        return await attempt(await this.connection());
      } catch (error) {
        const code = error instanceof KafkaError ? error.errorCode : undefined;
        const retriable =
          error instanceof KafkaError && (error.retriable || code === ErrorCode.CONCURRENT_TRANSACTIONS);
        if (
          retriable &&
          code !== ErrorCode.CONCURRENT_TRANSACTIONS &&
          code !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
        ) {
          this.coordinator = undefined;
        }
        if (!retriable || Date.now() + backoffMs > deadline) throw error;
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, this.cluster.config.retryBackoffMaxMs);
      }
    }
  }

  private async initProducerId(bump: boolean): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    let backoffMs = this.cluster.config.retryBackoffMs;
    for (;;) {
      try {
        const connection = await this.connection();
        const canBump = (connection.brokerVersions(InitProducerIdApi.apiKey)?.max ?? 0) >= 3;
        const keep = bump && canBump && this.producerId >= 0;
        const response = await connection.request(InitProducerIdApi, {
          transactionalId: this.transactionalId,
          transactionTimeoutMs: this.transactionTimeoutMs,
          producerId: keep ? BigInt(this.producerId) : -1n,
          producerEpoch: keep ? this.producerEpoch : -1,
        });
        if (response.errorCode !== 0) throw new KafkaError(response.errorCode, 'InitProducerId');
        this.producerId = Number(response.producerId);
        this.producerEpoch = response.producerEpoch;
        this.needsEpochBump = false;
        if (this.state === 'UNINITIALIZED' || this.state === 'ABORTABLE_ERROR') this.state = 'READY';
        return;
      } catch (error) {
        const retriable =
          error instanceof KafkaError && (error.retriable || error.errorCode === ErrorCode.CONCURRENT_TRANSACTIONS);
        // The coordinator moved or is unreachable: look it up again (see toCoordinator).
        const code = (error as KafkaError).errorCode;
        if (
          retriable &&
          code !== ErrorCode.CONCURRENT_TRANSACTIONS &&
          code !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
        ) {
          this.coordinator = undefined;
        }
        if (!retriable || Date.now() + backoffMs > deadline) {
          if (error instanceof KafkaError && FATAL.has(error.errorCode)) this.state = 'FATAL_ERROR';
          this.lastError = error as Error;
          throw error;
        }
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, this.cluster.config.retryBackoffMaxMs);
      }
    }
  }

  // ---- transactions ----

  private requireState(allowed: TransactionState[], action: string): void {
    if (this.transactionalId === null) {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, `${action} needs a transactional.id`);
    }
    if (!allowed.includes(this.state)) {
      throw new ClientError(
        ClientErrorCode.ILLEGAL_STATE,
        `${action} is not allowed in transaction state ${this.state}${this.lastError === undefined ? '' : ` (${this.lastError.message})`}`,
      );
    }
  }

  async initTransactions(): Promise<void> {
    this.requireState(['UNINITIALIZED', 'READY'], 'initTransactions');
    await this.initProducerId(false);
  }

  beginTransaction(): void {
    this.requireState(['READY'], 'beginTransaction');
    this.state = 'IN_TRANSACTION';
    this.added.clear();
    this.pending.clear();
    this.offsetsAdded = false;
    this.addAttempted = false;
  }

  /** `send` is allowed only inside a transaction (for a transactional producer). */
  checkCanSend(): void {
    if (this.transactionalId === null || this.state === 'IN_TRANSACTION') return;
    throw new ClientError(
      ClientErrorCode.ILLEGAL_STATE,
      `cannot send in transaction state ${this.state}; call beginTransaction()`,
    );
  }

  /**
   * Called when a record sent inside the transaction gets its partition. That may be after
   * commitTransaction began: a record still waiting for metadata then was accepted by `send` in
   * the transaction (Java's send would have blocked until it had its partition), and the commit's
   * flush waits for it.
   */
  maybeAddPartition(topic: string, partition: number): void {
    if (this.transactionalId === null) return;
    this.checkCanAddPartition();
    const key = `${topic}:${partition}`;
    if (!this.added.has(key)) this.pending.set(key, { topic, partition });
  }

  /** Throws unless a record may join the transaction now (checked before it is appended). */
  checkCanAddPartition(): void {
    if (this.transactionalId === null) return;
    if (this.state !== 'IN_TRANSACTION' && this.state !== 'COMMITTING') {
      throw new ClientError(ClientErrorCode.ILLEGAL_STATE, `cannot send in transaction state ${this.state}`);
    }
  }

  isPartitionAdded(topic: string, partition: number): boolean {
    return this.transactionalId === null || this.added.has(`${topic}:${partition}`);
  }

  get hasPendingPartitions(): boolean {
    return this.pending.size > 0;
  }

  /** Sends AddPartitionsToTxn for every pending partition (one request at a time). */
  addPendingPartitions(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    this.adding ??= this.sendAddPartitions().finally(() => {
      this.adding = undefined;
    });
    return this.adding;
  }

  private async sendAddPartitions(): Promise<void> {
    this.addAttempted = true;
    const batch = [...this.pending.entries()];
    const byTopic = new Map<string, number[]>();
    for (const [, tp] of batch) {
      const list = byTopic.get(tp.topic) ?? [];
      list.push(tp.partition);
      byTopic.set(tp.topic, list);
    }
    try {
      await this.toCoordinator(async (connection) => {
        const response = await connection.request(AddPartitionsToTxnApi, {
          v3AndBelowTransactionalId: this.transactionalId as string,
          v3AndBelowProducerId: BigInt(this.producerId),
          v3AndBelowProducerEpoch: this.producerEpoch,
          v3AndBelowTopics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
        });
        let retry: KafkaError | undefined;
        for (const t of response.resultsByTopicV3AndBelow) {
          for (const p of t.resultsByPartition) {
            const key = `${t.name}:${p.partitionIndex}`;
            if (p.partitionErrorCode === 0) {
              this.added.add(key);
              this.pending.delete(key);
              continue;
            }
            const error = new KafkaError(p.partitionErrorCode, `AddPartitionsToTxn ${key}`);
            if (error.retriable || p.partitionErrorCode === ErrorCode.CONCURRENT_TRANSACTIONS) retry = error;
            else if (p.partitionErrorCode !== ErrorCode.OPERATION_NOT_ATTEMPTED) throw error;
          }
        }
        if (retry !== undefined) throw retry;
      });
    } catch (error) {
      this.fail(error as Error);
      throw error;
    }
  }

  /** Moves to ABORTABLE_ERROR (or FATAL_ERROR for fencing): only abort (or close) is possible then. */
  fail(error: Error): void {
    this.lastError = error;
    if (error instanceof KafkaError && FATAL.has(error.errorCode)) this.state = 'FATAL_ERROR';
    else if (this.state === 'IN_TRANSACTION' || this.state === 'COMMITTING') this.state = 'ABORTABLE_ERROR';
  }

  async sendOffsetsToTransaction(offsets: readonly OffsetToCommit[], group: ConsumerGroupMetadata): Promise<void> {
    this.requireState(['IN_TRANSACTION'], 'sendOffsetsToTransaction');
    const transactionalId = this.transactionalId as string;
    try {
      await this.toCoordinator(async (connection) => {
        const add = await connection.request(AddOffsetsToTxnApi, {
          transactionalId,
          producerId: BigInt(this.producerId),
          producerEpoch: this.producerEpoch,
          groupId: group.groupId,
        });
        if (add.errorCode !== 0) throw new KafkaError(add.errorCode, 'AddOffsetsToTxn');
      });
    } catch (error) {
      this.fail(error as Error);
      throw error;
    }
    this.offsetsAdded = true;
    const coordinator = await findCoordinator(this.cluster, CoordinatorType.GROUP, group.groupId, this.timeoutMs);
    const connection = await this.cluster.pool.get(
      coordinator.host,
      coordinator.port,
      coordinator.nodeId,
      undefined,
      'coordinator',
    );
    const byTopic = new Map<string, OffsetToCommit[]>();
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? [];
      list.push(o);
      byTopic.set(o.topic, list);
    }
    const response = await connection.request(TxnOffsetCommitApi, {
      transactionalId,
      groupId: group.groupId,
      producerId: BigInt(this.producerId),
      producerEpoch: this.producerEpoch,
      generationId: group.generationId,
      memberId: group.memberId,
      groupInstanceId: group.groupInstanceId,
      topics: [...byTopic].map(([name, list]) => ({
        name,
        partitions: list.map((o) => ({
          partitionIndex: o.partition,
          committedOffset: o.offset,
          committedLeaderEpoch: o.leaderEpoch ?? -1,
          committedMetadata: o.metadata ?? null,
        })),
      })),
    });
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) {
          const error = new KafkaError(p.errorCode, `TxnOffsetCommit ${t.name}:${p.partitionIndex}`);
          this.fail(error);
          throw error;
        }
      }
    }
  }

  beginCommit(): void {
    this.requireState(['IN_TRANSACTION'], 'commitTransaction');
    this.state = 'COMMITTING';
  }

  beginAbort(): void {
    this.requireState(['IN_TRANSACTION', 'ABORTABLE_ERROR', 'ABORTING'], 'abortTransaction');
    this.state = 'ABORTING';
  }

  /** EndTxn, once the transaction's batches are acknowledged (commit) or dropped (abort). */
  async endTransaction(commit: boolean): Promise<void> {
    // An AddPartitionsToTxn in flight decides whether the coordinator knows of the transaction.
    await this.adding?.catch(() => undefined);
    // Aborting, partitions never sent in an AddPartitionsToTxn are not the coordinator's concern:
    // their batches were dropped.
    if (!commit && !this.addAttempted) this.pending.clear();
    if (this.added.size === 0 && this.pending.size === 0 && !this.offsetsAdded) {
      // Nothing was added: the coordinator knows no transaction, so there is nothing to end.
      this.completeTransaction();
      return;
    }
    try {
      await this.toCoordinator(async (connection) => {
        const bumpsEpoch = connection.versionOf(EndTxnApi) >= 5;
        const response = await connection.request(EndTxnApi, {
          transactionalId: this.transactionalId as string,
          producerId: BigInt(this.producerId),
          producerEpoch: this.producerEpoch,
          committed: commit,
        });
        // An abort after AddPartitionsToTxn failed: if the coordinator has no transaction open
        // (INVALID_TXN_STATE) and none of ours was confirmed, there is nothing left to abort.
        const nothingToAbort =
          !commit && response.errorCode === ErrorCode.INVALID_TXN_STATE && this.added.size === 0 && !this.offsetsAdded;
        if (response.errorCode !== 0 && !nothingToAbort) {
          throw new KafkaError(response.errorCode, commit ? 'EndTxn (commit)' : 'EndTxn (abort)');
        }
        // The epoch this transaction ended with is fenced now (its markers carry the next one);
        // a retry of a lost answer still presents it, and is answered with the same new epoch.
        if (bumpsEpoch && response.errorCode === 0) {
          this.producerId = Number(response.producerId);
          this.producerEpoch = response.producerEpoch;
        }
      });
    } catch (error) {
      this.fail(error as Error);
      throw error;
    }
    this.completeTransaction();
  }

  private completeTransaction(): void {
    this.state = 'READY';
    this.added.clear();
    this.pending.clear();
    this.offsetsAdded = false;
    this.addAttempted = false;
  }

  /**
   * A record of the transaction failed before it reached a batch (serializer, size, metadata or
   * buffer timeout): committing without it would be wrong, so the transaction can only abort
   * (Java's maybeTransitionToErrorState on a failed send).
   */
  recordFailed(error: Error): void {
    if (this.transactionalId !== null) this.fail(error);
  }
}
