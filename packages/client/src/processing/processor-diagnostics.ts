import diagnostics from 'node:diagnostics_channel';
import type { TopicPartition } from '../common/topic-partition.js';

/**
 * `samsa:client:processor` — what an `ExactlyOnceProcessor` did, one message per transaction
 * outcome and per change of ownership (`ProcessorEvent`). Publishing is guarded by
 * `hasSubscribers`, so the channel costs nothing when nobody listens.
 */
export const processorChannel = diagnostics.channel('samsa:client:processor');

export interface ProcessorEventBase {
  readonly transactionalId: string;
  readonly groupId: string;
}

/** A transaction committed: its output records and its input offsets became visible together. */
export interface ProcessorCommitEvent extends ProcessorEventBase {
  readonly event: 'commit';
  /** Input records consumed by the transaction. */
  readonly records: number;
  /** Output records it produced. */
  readonly outputs: number;
  /** The next offset of every input partition it covered, as committed to the group. */
  readonly offsets: readonly (TopicPartition & { readonly offset: bigint })[];
  readonly durationMs: number;
}

/** A transaction aborted (transform or send failed): its input is read again from `offsets`. */
export interface ProcessorAbortEvent extends ProcessorEventBase {
  readonly event: 'abort';
  readonly records: number;
  /** Where each partition of the batch was sought back to (its last committed position). */
  readonly offsets: readonly (TopicPartition & { readonly offset: bigint })[];
  readonly error: Error;
}

/** Partitions given up in a rebalance (`revoked`) or already owned by another member (`lost`). */
export interface ProcessorRebalanceEvent extends ProcessorEventBase {
  readonly event: 'revoked' | 'lost' | 'assigned';
  readonly partitions: readonly TopicPartition[];
}

/** The processor stopped: `error` is set when it stopped on a fatal error (fenced, unsupported, …). */
export interface ProcessorCloseEvent extends ProcessorEventBase {
  readonly event: 'close';
  readonly error?: Error;
}

export type ProcessorEvent = ProcessorCommitEvent | ProcessorAbortEvent | ProcessorRebalanceEvent | ProcessorCloseEvent;

export function publishProcessorEvent(event: ProcessorEvent): void {
  if (processorChannel.hasSubscribers) processorChannel.publish(event);
}
