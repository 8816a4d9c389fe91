import type { ConsumerRecord } from '@samsa/client';
import { type BackOff, type BackOffExecution, STOP } from './back-off.js';

interface Failures {
  offset: bigint;
  attempts: number;
  execution: BackOffExecution;
}

/**
 * Counts failed deliveries per partition's current record (Spring's FailedRecordTracker). Only
 * one record per partition can be failing at a time: records are handled in offset order and a
 * failing one is redelivered before anything after it, so a failure at another offset means the
 * previous record is done with.
 */
export class FailedRecordTracker {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly backOff: BackOff) {}

  /** Records a failure: the wait before the next attempt, or STOP when attempts are exhausted. */
  failed(raw: ConsumerRecord<Buffer, Buffer>): number {
    const key = `${raw.topic}\u0000${raw.partition}`;
    let f = this.failures.get(key);
    if (f === undefined || f.offset !== raw.offset) {
      f = { offset: raw.offset, attempts: 0, execution: this.backOff.start() };
      this.failures.set(key, f);
    }
    f.attempts++;
    const next = f.execution.nextBackOffMs();
    return next === STOP ? STOP : next;
  }

  attempts(raw: ConsumerRecord<Buffer, Buffer>): number {
    const f = this.failures.get(`${raw.topic}\u0000${raw.partition}`);
    return f !== undefined && f.offset === raw.offset ? f.attempts : 0;
  }

  clear(raw: ConsumerRecord<Buffer, Buffer>): void {
    const key = `${raw.topic}\u0000${raw.partition}`;
    if (this.failures.get(key)?.offset === raw.offset) this.failures.delete(key);
  }
}
