import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { Logger } from '../../logger.js';
import { coordinatorAppendError } from '../coordinator-append-error.js';
import type { CoordinatorPartitionLog, CoordinatorRecord } from '../coordinator-log.js';
import { partitionForGroup } from '../group/partition-for-group.js';
import { KeyedSerializer } from './keyed-serializer.js';
import {
  DEFAULT_TRANSACTION_COORDINATOR_CONFIG,
  type TransactionCoordinatorConfig,
} from './transaction-coordinator-config.js';
import { expiredTransactionalIds, startExpirationTimers, timedOutTransactions } from './transaction-expiration.js';
import {
  describeTransaction,
  type ListedTransaction,
  type ListTransactionsFilter,
  listTransactions,
} from './transaction-listing.js';
import { decodeTransactionLogRecord, transactionLogRecord, transactionLogTombstone } from './transaction-log-record.js';
import {
  containsAll,
  describeMetadata,
  isProducerEpochExhausted,
  mergePartitions,
  prepareAbortOrCommit,
  prepareComplete,
  type TransactionMetadata,
  type TxnTopicPartition,
} from './transaction-metadata.js';
import { checkEndTxnProducer, checkProducer } from './transaction-producer-check.js';
import { isPreparing, TransactionState } from './transaction-state.js';
import { supportsEpochBump, TransactionVersion } from './transaction-version.js';
import type { TransactionResult, TxnMarkerWriter } from './txn-marker-writer.js';
import type { TxnPartitionRuntime } from './txn-partition-runtime.js';

export interface TransactionCoordinatorOptions {
  /** The `__transaction_state` partitions: where every state change is written before it counts. */
  readonly log: CoordinatorPartitionLog;
  readonly config?: Partial<TransactionCoordinatorConfig>;
  readonly generateProducerId: () => Promise<number>;
  readonly markers: TxnMarkerWriter;
  readonly logger?: Logger;
  readonly nowMs?: () => number;
  /** Wait between attempts to write a transaction's completion when the log refuses it. */
  readonly retryBackoffMs?: number;
}

export interface ProducerIdAndEpoch {
  readonly errorCode: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export type { ListedTransaction, ListTransactionsFilter } from './transaction-listing.js';

/** An error answer, or the metadata to write and what to do once it is written. */
type Decision<R> =
  | { readonly error: number }
  | { readonly result: R }
  | { readonly next: TransactionMetadata; readonly result: R; readonly after?: (written: TransactionMetadata) => void };

const NO_PRODUCER = { producerId: -1, producerEpoch: -1 } as const;

/**
 * Kafka's transaction coordinator: binds a `transactional.id` to a producer id and epoch that
 * outlive producer restarts, tracks each id's transaction through the states of
 * `TransactionState`, and ends transactions by having markers written to their partitions.
 *
 * Every state change is first written to the id's `__transaction_state` partition (partition =
 * Java hashCode of the id % `transaction.state.log.num.partitions`, as for groups) and applied
 * only once the write is acknowledged, so the state a new coordinator loads is always one some
 * client was answered with. Operations on one id run one at a time; ids are independent.
 *
 * EndTxn is answered once PrepareCommit/PrepareAbort is written (the outcome is decided); the
 * markers follow, then CompleteCommit/CompleteAbort. A coordinator that loads a partition resumes
 * the markers of every prepared transaction. A producer that re-initialises while its transaction
 * is open, or whose transaction outlives its timeout, is fenced: its epoch is bumped and the
 * transaction aborted with the new epoch, so the partitions refuse the old one.
 *
 * Transaction version 2 (EndTxn v5, KIP-890 part 2): every EndTxn bumps the epoch, so the
 * markers themselves fence the transaction's late writes; the prepare record carries the bumped
 * epoch (and, once the epoch is exhausted, the next producer id, which the completion switches to
 * at epoch 0). Retries present the epoch before the bump (`checkEndTxnProducer`).
 */
export class TransactionCoordinator {
  readonly config: TransactionCoordinatorConfig;
  private readonly log: CoordinatorPartitionLog;
  private readonly markers: TxnMarkerWriter;
  private readonly generateProducerId: () => Promise<number>;
  private readonly logger: Logger | undefined;
  private readonly nowMs: () => number;
  private readonly retryBackoffMs: number;
  private readonly partitions = new Map<number, TxnPartitionRuntime>();
  private readonly serializer = new KeyedSerializer();
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(options: TransactionCoordinatorOptions) {
    this.config = { ...DEFAULT_TRANSACTION_COORDINATOR_CONFIG, ...options.config };
    this.log = options.log;
    this.markers = options.markers;
    this.generateProducerId = options.generateProducerId;
    this.logger = options.logger?.child({ component: 'transaction-coordinator' });
    this.nowMs = options.nowMs ?? Date.now;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  /** Starts the periodic abort of timed-out transactions and removal of expired ids. */
  startup(): void {
    this.timers.push(
      ...startExpirationTimers(
        this.config,
        () => this.abortTimedOutTransactions(),
        () => this.removeExpiredTransactionalIds(),
      ),
    );
  }

  partitionFor(transactionalId: string): number {
    return partitionForGroup(transactionalId, this.config.transactionStateLogNumPartitions);
  }

  partitionStatus(partition: number): 'active' | 'loading' | 'none' {
    return this.partitions.get(partition)?.status ?? 'none';
  }

  // ---- ownership ----

  /** This broker leads `partition` of `__transaction_state` at `coordinatorEpoch`: loads its ids. */
  async onElection(partition: number, coordinatorEpoch: number): Promise<void> {
    const existing = this.partitions.get(partition);
    if (existing !== undefined && existing.coordinatorEpoch === coordinatorEpoch) return;
    const runtime: TxnPartitionRuntime = { partition, coordinatorEpoch, status: 'loading', transactions: new Map() };
    this.partitions.set(partition, runtime);
    const startMs = this.nowMs();
    let records = 0;
    try {
      for await (const record of this.log.readAll(partition)) {
        if (this.partitions.get(partition) !== runtime) return;
        if (!isDataRecord(record)) continue;
        const { transactionalId, metadata } = decodeTransactionLogRecord(record);
        if (metadata === null) runtime.transactions.delete(transactionalId);
        else runtime.transactions.set(transactionalId, metadata);
        records++;
      }
    } catch (err) {
      if (this.partitions.get(partition) === runtime) this.partitions.delete(partition);
      this.logger?.error({ partition, err }, `failed to load __transaction_state-${partition}`);
      throw err;
    }
    if (this.partitions.get(partition) !== runtime) return;
    runtime.status = 'active';
    this.logger?.info(
      { partition, records, transactions: runtime.transactions.size, durationMs: this.nowMs() - startMs },
      `loaded __transaction_state-${partition} at coordinator epoch ${coordinatorEpoch}`,
    );
    // Transactions decided but not completed by the previous coordinator: send their markers.
    for (const metadata of runtime.transactions.values()) {
      if (isPreparing(metadata.state)) this.completeTransaction(runtime, metadata);
    }
  }

  /** This broker no longer leads `partition`: its ids are forgotten and their marker sends stop. */
  onResignation(partition: number): void {
    if (this.partitions.delete(partition))
      this.logger?.info({ partition }, `unloaded __transaction_state-${partition}`);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.partitions.clear();
    this.markers.close();
  }

  // ---- requests ----

  /**
   * InitProducerId with a transactional id: a new id gets a producer id at epoch 0; a known one
   * gets its epoch bumped (a new producer id once the epoch is exhausted), which fences any older
   * producer instance. `expected` is KIP-360's current producer id and epoch, when the client sent them.
   */
  initProducerId(
    transactionalId: string,
    transactionTimeoutMs: number,
    expected: { producerId: number; producerEpoch: number } | undefined,
  ): Promise<ProducerIdAndEpoch> {
    if (transactionalId === '') return Promise.resolve({ errorCode: ErrorCode.INVALID_REQUEST, ...NO_PRODUCER });
    if (transactionTimeoutMs <= 0 || transactionTimeoutMs > this.config.transactionMaxTimeoutMs) {
      return Promise.resolve({ errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, ...NO_PRODUCER });
    }
    return this.operate<ProducerIdAndEpoch>(
      transactionalId,
      (errorCode) => ({ errorCode, ...NO_PRODUCER }),
      async (runtime, current) => {
        const now = this.nowMs();
        if (current === undefined) {
          const producerId = await this.generateProducerId();
          const next: TransactionMetadata = {
            transactionalId,
            producerId,
            previousProducerId: -1,
            nextProducerId: -1,
            producerEpoch: 0,
            lastProducerEpoch: -1,
            clientTransactionVersion: TransactionVersion.TV_0,
            txnTimeoutMs: transactionTimeoutMs,
            state: TransactionState.Empty,
            partitions: [],
            txnStartTimestampMs: -1,
            txnLastUpdateTimestampMs: now,
          };
          return { next, result: { errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 } };
        }
        if (isPreparing(current.state) || current.state === TransactionState.PrepareEpochFence) {
          return { error: ErrorCode.CONCURRENT_TRANSACTIONS };
        }
        if (expected !== undefined) {
          const retried =
            expected.producerId === current.producerId && expected.producerEpoch === current.lastProducerEpoch;
          if (retried && current.state === TransactionState.Empty) {
            // The bump this producer asks for was done; its answer was lost.
            return {
              result: {
                errorCode: ErrorCode.NONE,
                producerId: current.producerId,
                producerEpoch: current.producerEpoch,
              },
            };
          }
          if (expected.producerId !== current.producerId || expected.producerEpoch !== current.producerEpoch) {
            return { error: ErrorCode.PRODUCER_FENCED };
          }
        }
        if (current.state === TransactionState.Ongoing) {
          // A new instance of the producer while a transaction is open: fence the old instance
          // by aborting with a bumped epoch; the client retries and then gets its epoch.
          const fenced = this.fencedAbort(current, now);
          return {
            next: fenced,
            result: { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, ...NO_PRODUCER },
            after: (written) => this.completeTransaction(runtime, written),
          };
        }
        const exhausted = isProducerEpochExhausted(current);
        const producerId = exhausted ? await this.generateProducerId() : current.producerId;
        const next: TransactionMetadata = {
          ...current,
          producerId,
          previousProducerId: exhausted ? current.producerId : current.previousProducerId,
          nextProducerId: -1,
          producerEpoch: exhausted ? 0 : current.producerEpoch + 1,
          lastProducerEpoch: exhausted ? -1 : current.producerEpoch,
          // As Kafka's prepareIncrementProducerEpoch: the next EndTxn says which version the client speaks.
          clientTransactionVersion: TransactionVersion.TV_0,
          txnTimeoutMs: transactionTimeoutMs,
          state: TransactionState.Empty,
          partitions: [],
          txnStartTimestampMs: -1,
          txnLastUpdateTimestampMs: now,
        };
        return { next, result: { errorCode: ErrorCode.NONE, producerId, producerEpoch: next.producerEpoch } };
      },
    );
  }

  /** AddPartitionsToTxn / AddOffsetsToTxn: the partitions join the producer's (maybe new) transaction. */
  addPartitions(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TxnTopicPartition[],
  ): Promise<number> {
    return this.operate<number>(
      transactionalId,
      (errorCode) => errorCode,
      (_runtime, current) => {
        const invalid = checkProducer(current, producerId, producerEpoch);
        if (invalid !== undefined) return { error: invalid };
        const txn = current as TransactionMetadata;
        if (isPreparing(txn.state) || txn.state === TransactionState.PrepareEpochFence) {
          return { error: ErrorCode.CONCURRENT_TRANSACTIONS };
        }
        if (txn.state === TransactionState.Ongoing && containsAll(txn.partitions, partitions)) {
          return { result: ErrorCode.NONE };
        }
        const now = this.nowMs();
        const next: TransactionMetadata = {
          ...txn,
          state: TransactionState.Ongoing,
          partitions: mergePartitions(txn.state === TransactionState.Ongoing ? txn.partitions : [], partitions),
          txnStartTimestampMs: txn.state === TransactionState.Ongoing ? txn.txnStartTimestampMs : now,
          txnLastUpdateTimestampMs: now,
        };
        return { next, result: ErrorCode.NONE };
      },
    );
  }

  /**
   * KIP-890 verification, for a partition leader about to append a transactional batch: NONE if
   * the partition is part of the producer's transaction at this epoch. As Kafka's
   * handleVerifyPartitionsInTransaction answers: CONCURRENT_TRANSACTIONS while the transaction is
   * being completed (the batch is retried into the next one), TRANSACTION_ABORTABLE when the
   * partition is not in the transaction — whatever the state, since only Ongoing has partitions.
   * Callers map TRANSACTION_ABORTABLE down for requesters that predate it (`TxnVerifier`).
   */
  verifyPartition(transactionalId: string, producerId: number, producerEpoch: number, tp: TxnTopicPartition): number {
    const runtime = this.partitions.get(this.partitionFor(transactionalId));
    if (runtime === undefined) return ErrorCode.NOT_COORDINATOR;
    if (runtime.status === 'loading') return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    const current = runtime.transactions.get(transactionalId);
    const invalid = checkProducer(current, producerId, producerEpoch);
    if (invalid !== undefined) return invalid;
    const txn = current as TransactionMetadata;
    if (isPreparing(txn.state)) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return containsAll(txn.partitions, [tp]) ? ErrorCode.NONE : ErrorCode.TRANSACTION_ABORTABLE;
  }

  /**
   * EndTxn: decides the transaction (answered once PrepareCommit/PrepareAbort is written) and
   * answers the producer id and epoch for the producer's next transaction. With
   * `clientTransactionVersion` TV_2 (EndTxn v5) the epoch is bumped at every end, to a new producer
   * id at epoch 0 once it is exhausted; the answer carries them (EndTxn v5's ProducerId/Epoch).
   */
  endTransaction(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    commit: boolean,
    clientTransactionVersion: TransactionVersion = TransactionVersion.TV_0,
  ): Promise<ProducerIdAndEpoch> {
    return this.operate<ProducerIdAndEpoch>(
      transactionalId,
      (errorCode) => ({ errorCode, ...NO_PRODUCER }),
      async (runtime, current) => {
        const invalid = checkEndTxnProducer(current, producerId, producerEpoch);
        if (invalid !== undefined) return { error: invalid };
        const txn = current as TransactionMetadata;
        // With TV_2 a completed transaction at the request's own epoch is no retry: the producer
        // has nothing open (Kafka fences it; Samsa's client reads INVALID_TXN_STATE as nothing to abort).
        const retried = !supportsEpochBump(txn.clientTransactionVersion) || txn.producerEpoch !== producerEpoch;
        const outcome = retried
          ? { result: { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch } }
          : { error: ErrorCode.INVALID_TXN_STATE };
        switch (txn.state) {
          case TransactionState.Ongoing: {
            // Kafka moves to a new producer id only for a TV_2 bump; TV_0 keeps the epoch here.
            const rotate = supportsEpochBump(clientTransactionVersion) && isProducerEpochExhausted(txn);
            const nextProducerId = rotate ? await this.generateProducerId() : -1;
            const next = prepareAbortOrCommit(txn, commit, clientTransactionVersion, nextProducerId, this.nowMs());
            // What the completion will hold is what the producer's next transaction uses.
            const after = prepareComplete(next, next.txnLastUpdateTimestampMs);
            return {
              next,
              result: { errorCode: ErrorCode.NONE, producerId: after.producerId, producerEpoch: after.producerEpoch },
              after: (written) => this.completeTransaction(runtime, written),
            };
          }
          // A retry whose answer was lost: the outcome it asked for holds (and, with TV_2, the
          // bumped epoch it missed is in the answer).
          case TransactionState.CompleteCommit:
            return commit ? outcome : { error: ErrorCode.INVALID_TXN_STATE };
          case TransactionState.CompleteAbort:
            return commit ? { error: ErrorCode.INVALID_TXN_STATE } : outcome;
          case TransactionState.PrepareCommit:
            return commit ? { error: ErrorCode.CONCURRENT_TRANSACTIONS } : { error: ErrorCode.INVALID_TXN_STATE };
          case TransactionState.PrepareAbort:
            return commit ? { error: ErrorCode.INVALID_TXN_STATE } : { error: ErrorCode.CONCURRENT_TRANSACTIONS };
          case TransactionState.PrepareEpochFence:
            return { error: ErrorCode.CONCURRENT_TRANSACTIONS };
          default:
            return { error: ErrorCode.INVALID_TXN_STATE };
        }
      },
    );
  }

  /** DescribeTransactions for one id. */
  describe(transactionalId: string): { errorCode: number; metadata?: TransactionMetadata } {
    return describeTransaction(this.partitions.get(this.partitionFor(transactionalId)), transactionalId);
  }

  /** ListTransactions over the ids this broker coordinates. */
  list(filter: ListTransactionsFilter): { errorCode: number; transactions: ListedTransaction[] } {
    return listTransactions([...this.partitions.values()], filter, this.nowMs());
  }

  // ---- timers ----

  /** Aborts, with a bumped epoch, every ongoing transaction older than its timeout. */
  abortTimedOutTransactions(): void {
    for (const m of timedOutTransactions(this.partitions.values(), this.nowMs())) {
      this.logger?.info(
        `Aborting transaction ${m.transactionalId} (producer id ${m.producerId}): timed out after ${m.txnTimeoutMs} ms`,
      );
      void this.operate<undefined>(
        m.transactionalId,
        () => undefined,
        (owner, txn) => {
          if (txn === undefined || txn.state !== TransactionState.Ongoing || txn.producerEpoch !== m.producerEpoch) {
            return { result: undefined };
          }
          return {
            next: this.fencedAbort(txn, this.nowMs()),
            result: undefined,
            after: (written) => this.completeTransaction(owner, written),
          };
        },
      );
    }
  }

  /** Removes ids without a transaction for longer than `transactional.id.expiration.ms` (a tombstone each). */
  removeExpiredTransactionalIds(): void {
    const expired = expiredTransactionalIds(
      this.partitions.values(),
      this.config.transactionalIdExpirationMs,
      this.nowMs(),
    );
    for (const { runtime, metadata: m } of expired) {
      void this.serializer.run(m.transactionalId, async () => {
        if (this.partitions.get(runtime.partition) !== runtime || runtime.transactions.get(m.transactionalId) !== m)
          return;
        try {
          await this.log.append(runtime.partition, [transactionLogTombstone(m.transactionalId)]);
          if (runtime.transactions.get(m.transactionalId) === m) runtime.transactions.delete(m.transactionalId);
          this.logger?.info(`Removed expired transactional id ${m.transactionalId}`);
        } catch (err) {
          this.logger?.warn({ err }, `could not remove expired transactional id ${m.transactionalId}`);
        }
      });
    }
  }

  // ---- internals ----

  /** The abort a fence starts: the epoch bumped so that the old producer's requests are refused. */
  private fencedAbort(current: TransactionMetadata, now: number): TransactionMetadata {
    const bump = !isProducerEpochExhausted(current);
    return {
      ...current,
      producerEpoch: bump ? current.producerEpoch + 1 : current.producerEpoch,
      lastProducerEpoch: bump ? current.producerEpoch : current.lastProducerEpoch,
      nextProducerId: -1,
      // The coordinator's own abort, at the version Samsa runs (it does not advertise
      // transaction.version 2): one bump, and the fenced producer's old epoch is no retry.
      clientTransactionVersion: TransactionVersion.TV_0,
      state: TransactionState.PrepareAbort,
      txnLastUpdateTimestampMs: now,
    };
  }

  /**
   * Sends the markers of a prepared transaction, then writes its completion. Runs detached: the
   * client was answered when the decision was written. Gives up when this broker stops
   * coordinating the id (the next coordinator resumes from the prepared state it loads).
   */
  private completeTransaction(runtime: TxnPartitionRuntime, prepared: TransactionMetadata): void {
    const stillWanted = (): boolean =>
      !this.closed &&
      this.partitions.get(runtime.partition) === runtime &&
      runtime.transactions.get(prepared.transactionalId) === prepared;
    const result: TransactionResult = prepared.state === TransactionState.PrepareCommit ? 'COMMIT' : 'ABORT';
    void (async () => {
      const done = await this.markers.write(
        {
          transactionalId: prepared.transactionalId,
          producerId: prepared.producerId,
          producerEpoch: prepared.producerEpoch,
          result,
          coordinatorEpoch: runtime.coordinatorEpoch,
          partitions: prepared.partitions,
        },
        stillWanted,
      );
      if (!done) return;
      const completed = prepareComplete(prepared, this.nowMs());
      while (stillWanted()) {
        const errorCode = await this.serializer.run(prepared.transactionalId, async () => {
          if (!stillWanted()) return ErrorCode.NONE;
          const code = await this.write(runtime, completed);
          if (code === ErrorCode.NONE) runtime.transactions.set(completed.transactionalId, completed);
          return code;
        });
        if (errorCode === ErrorCode.NONE || errorCode === ErrorCode.NOT_COORDINATOR) return;
        this.logger?.warn(
          `Writing the completion of ${describeMetadata(completed)} failed with error ${errorCode}; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, this.retryBackoffMs));
      }
    })().catch((err: unknown) => {
      this.logger?.error({ err }, `completing the transaction of ${prepared.transactionalId} failed`);
    });
  }

  /**
   * Runs one request's decision on the id's current metadata, one at a time per id: writes the
   * next metadata if the decision has one, and applies it only once written.
   */
  private operate<R>(
    transactionalId: string,
    onError: (errorCode: number) => R,
    decide: (
      runtime: TxnPartitionRuntime,
      current: TransactionMetadata | undefined,
    ) => Decision<R> | Promise<Decision<R>>,
  ): Promise<R> {
    return this.serializer.run(transactionalId, async () => {
      const partition = this.partitionFor(transactionalId);
      const runtime = this.partitions.get(partition);
      if (runtime === undefined) return onError(ErrorCode.NOT_COORDINATOR);
      if (runtime.status === 'loading') return onError(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
      const decision = await decide(runtime, runtime.transactions.get(transactionalId));
      if ('error' in decision) return onError(decision.error);
      if (!('next' in decision)) return decision.result;
      const errorCode = await this.write(runtime, decision.next);
      if (errorCode !== ErrorCode.NONE) return onError(errorCode);
      runtime.transactions.set(transactionalId, decision.next);
      decision.after?.(decision.next);
      return decision.result;
    });
  }

  /**
   * Writes `next` to the log, mapping failures as Kafka's TransactionStateManager does: the
   * client retries COORDINATOR_NOT_AVAILABLE here and looks for the new coordinator on
   * NOT_COORDINATOR.
   */
  private async write(runtime: TxnPartitionRuntime, next: TransactionMetadata): Promise<number> {
    try {
      await this.log.append(runtime.partition, [transactionLogRecord(next)]);
    } catch (err) {
      const code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
      this.logger?.warn(`Appending ${describeMetadata(next)} to the transaction log failed with error ${code}`);
      return coordinatorAppendError(code);
    }
    return this.partitions.get(runtime.partition) === runtime ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
  }
}

/** Loading skips whatever the log yields that is not a keyed data record (transaction markers). */
function isDataRecord(record: unknown): record is CoordinatorRecord {
  const r = record as Partial<CoordinatorRecord>;
  return Buffer.isBuffer(r.key);
}
