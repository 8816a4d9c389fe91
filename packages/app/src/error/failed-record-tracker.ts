import type { ConsumerRecord } from '@samsa/client';
import { type BackOff, type BackOffExecution, STOP } from './back-off.js';

interface Failures {
  offset: bigint;
  attempts: number;
  execution: BackOffExecution;
}

/**
 * Counts failed deliveries per listener container and partition's current record (Spring's
 * FailedRecordTracker, which is per consumer thread: a handler shared by several containers
 * must not let one container's failures reset or add to another's). Only
 * one record per partition can be failing at a time: records are handled in offset order and a
 * failing one is redelivered before anything after it, so a failure at another offset means the
 * previous record is done with.
 */
export class FailedRecordTracker {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly backOff: BackOff) {}

  /** Records a failure: the wait before the next attempt, or STOP when attempts are exhausted. */
  failed(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): number {
    const key = keyOf(raw, listenerId);
    let f = this.failures.get(key);
    if (f === undefined || f.offset !== raw.offset) {
      f = { offset: raw.offset, attempts: 0, execution: this.backOff.start() };
      this.failures.set(key, f);
    }
    f.attempts++;
    const next = f.execution.nextBackOffMs();
    return next === STOP ? STOP : next;
  }

  attempts(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): number {
    const f = this.failures.get(keyOf(raw, listenerId));
    return f !== undefined && f.offset === raw.offset ? f.attempts : 0;
  }

  clear(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): void {
    const key = keyOf(raw, listenerId);
    if (this.failures.get(key)?.offset === raw.offset) this.failures.delete(key);
  }
}

function keyOf(raw: ConsumerRecord<Buffer, Buffer>, listenerId: string): string {
  return `${listenerId}\u0000${raw.topic}\u0000${raw.partition}`;
}
