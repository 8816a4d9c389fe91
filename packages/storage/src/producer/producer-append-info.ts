import { ControlRecordType, type EndTransactionMarker, ErrorCode, KafkaError } from '@samsa/protocol';
import { NO_PRODUCER_EPOCH, NO_SEQUENCE, type ProducerStateEntry } from './producer-state-entry.js';

/** Who is appending: clients get full validation, the coordinator epoch checks only, replication none. */
export type AppendOrigin = 'client' | 'coordinator' | 'replication';

/** A transaction that a marker just completed (Kafka's `CompletedTxn`). */
export interface CompletedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the marker. */
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

export interface TxnMetadata {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the marker once complete; -1 while ongoing. */
  lastOffset: number;
}

const INT32_MAX = 0x7fffffff;

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

/**
 * Validates the batches one producer appends in one request against its state, accumulating
 * the updated state without touching the manager (Kafka's `ProducerAppendInfo`). The log applies
 * it with `ProducerStateManager.update` only after the write succeeded, so a rejected append
 * leaves producer state unchanged.
 */
export class ProducerAppendInfo {
  readonly updatedEntry: ProducerStateEntry;
  readonly startedTransactions: TxnMetadata[] = [];

  constructor(
    readonly producerId: number,
    private readonly currentEntry: ProducerStateEntry,
    private readonly origin: AppendOrigin,
    private readonly onWarning: (msg: string) => void = () => {},
  ) {
    this.updatedEntry = currentEntry.clone();
  }

  private checkProducerEpoch(epoch: number, offset: number): void {
    if (epoch < this.updatedEntry.producerEpoch) {
      const msg =
        `epoch of producer ${this.producerId} at offset ${offset} is ${epoch}, ` +
        `which is smaller than the last seen epoch ${this.updatedEntry.producerEpoch}`;
      if (this.origin === 'replication') this.onWarning(msg);
      else throw new KafkaError(ErrorCode.INVALID_PRODUCER_EPOCH, msg);
    }
  }

  /**
   * Kafka ≥ 2.5 (KIP-360) rules: a known producer's new epoch must start at sequence 0; within an
   * epoch the sequence must follow the last one (wrapping at Int32.MAX); a producer with no known
   * epoch (new, expired, or whose batches were all deleted) may start at any sequence.
   */
  private checkSequence(epoch: number, firstSeq: number, offset: number): void {
    if (epoch !== this.updatedEntry.producerEpoch) {
      if (firstSeq !== 0 && this.updatedEntry.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new KafkaError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `invalid sequence number for new epoch of producer ${this.producerId} at offset ${offset}: ` +
            `${epoch} (request epoch), ${firstSeq} (seq. number), ${this.updatedEntry.producerEpoch} (current epoch)`,
        );
      }
      return;
    }
    let currentLastSeq: number;
    if (!this.updatedEntry.isEmpty()) currentLastSeq = this.updatedEntry.lastSeq;
    else if (epoch === this.currentEntry.producerEpoch) currentLastSeq = this.currentEntry.lastSeq;
    else currentLastSeq = NO_SEQUENCE;
    if (!(this.currentEntry.producerEpoch === NO_PRODUCER_EPOCH || inSequence(currentLastSeq, firstSeq))) {
      throw new KafkaError(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `out of order sequence number for producer ${this.producerId} at offset ${offset}: ` +
          `${firstSeq} (incoming seq. number), ${currentLastSeq} (current end sequence number)`,
      );
    }
  }

  appendDataBatch(
    epoch: number,
    firstSeq: number,
    lastSeq: number,
    lastTimestamp: number,
    firstOffset: number,
    lastOffset: number,
    isTransactional: boolean,
  ): void {
    this.checkProducerEpoch(epoch, firstOffset);
    if (this.origin === 'client') this.checkSequence(epoch, firstSeq, firstOffset);
    this.updatedEntry.addBatch(epoch, lastSeq, lastOffset, lastOffset - firstOffset, lastTimestamp);
    const current = this.updatedEntry.currentTxnFirstOffset;
    if (current >= 0 && !isTransactional) {
      throw new KafkaError(
        ErrorCode.INVALID_TXN_STATE,
        `expected a transactional write from producer ${this.producerId} at offset ${firstOffset}`,
      );
    }
    if (current < 0 && isTransactional) {
      this.updatedEntry.currentTxnFirstOffset = firstOffset;
      this.startedTransactions.push({ producerId: this.producerId, firstOffset, lastOffset: -1 });
    }
  }

  /** A COMMIT/ABORT marker at `offset`; returns the transaction it completes, if one was ongoing. */
  appendEndTxnMarker(
    marker: EndTransactionMarker,
    epoch: number,
    offset: number,
    timestamp: number,
  ): CompletedTxn | undefined {
    this.checkProducerEpoch(epoch, offset);
    if (this.updatedEntry.coordinatorEpoch > marker.coordinatorEpoch) {
      const msg =
        `invalid coordinator epoch for producer ${this.producerId} at offset ${offset}: ` +
        `${marker.coordinatorEpoch} (zombie), ${this.updatedEntry.coordinatorEpoch} (current)`;
      if (this.origin === 'replication') this.onWarning(msg);
      else throw new KafkaError(ErrorCode.TRANSACTION_COORDINATOR_FENCED, msg);
    }
    this.updatedEntry.maybeUpdateProducerEpoch(epoch);
    const firstOffset = this.updatedEntry.currentTxnFirstOffset;
    const completed =
      firstOffset >= 0
        ? {
            producerId: this.producerId,
            firstOffset,
            lastOffset: offset,
            isAborted: marker.type === ControlRecordType.ABORT,
          }
        : undefined;
    this.updatedEntry.coordinatorEpoch = marker.coordinatorEpoch;
    this.updatedEntry.currentTxnFirstOffset = -1;
    this.updatedEntry.lastTimestamp = timestamp;
    return completed;
  }
}
