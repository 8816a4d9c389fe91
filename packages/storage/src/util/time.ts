/**
 * The clock the storage layer reads. Injected everywhere so that tests can drive segment rolling,
 * retention and producer expiry without sleeping (Kafka's `org.apache.kafka.common.utils.Time`).
 */
export interface Time {
  /** Wall-clock milliseconds since the epoch. */
  milliseconds(): number;
}

export const SystemTime: Time = {
  milliseconds: () => Date.now(),
};

/** A clock that only moves when told to. */
export class MockTime implements Time {
  private nowMs: number;

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  milliseconds(): number {
    return this.nowMs;
  }

  sleep(ms: number): void {
    this.nowMs += ms;
  }

  setMilliseconds(ms: number): void {
    this.nowMs = ms;
  }
}
