import type { ConsumerRecord } from '@samsa/client';

/**
 * Thrown by a batch listener to say which record failed (by index in the batch, or the record
 * itself): the error handler commits the records before it and retries or recovers from it,
 * instead of retrying the whole batch (Spring's BatchListenerFailedException).
 */
export class BatchListenerFailedException extends Error {
  override readonly name = 'BatchListenerFailedException';
  readonly index: number | undefined;
  readonly record: ConsumerRecord<unknown, unknown> | undefined;

  constructor(message: string, at: number | ConsumerRecord<unknown, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    if (typeof at === 'number') {
      this.index = at;
      this.record = undefined;
    } else {
      this.index = undefined;
      this.record = at;
    }
  }

  /** The failed record's index in `batch`, or -1 when it is not there. */
  indexIn(batch: readonly ConsumerRecord<unknown, unknown>[]): number {
    if (this.index !== undefined) return this.index < batch.length ? this.index : -1;
    const r = this.record;
    if (r === undefined) return -1;
    return batch.findIndex((b) => b.topic === r.topic && b.partition === r.partition && b.offset === r.offset);
  }
}
