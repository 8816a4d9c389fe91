/**
 * Handed to listeners in the MANUAL and MANUAL_IMMEDIATE ack modes (Spring's `Acknowledgment`).
 *
 * - `acknowledge()`: the record (or the whole batch) is done; its offset is committed with the
 *   next batch commit (MANUAL) or at once (MANUAL_IMMEDIATE).
 * - `nack(sleepMs)`: deliver the record (and everything after it in this poll) again after
 *   `sleepMs`, during which the container's partitions are paused. Batch listeners name the
 *   index of the first record to redeliver: records before it are acknowledged.
 */
export interface Acknowledgment {
  acknowledge(): void;
  nack(sleepMs: number): void;
  nack(index: number, sleepMs: number): void;
}

/** What the listener did with its Acknowledgment during one invocation. */
export interface AckDecision {
  acknowledged: boolean;
  /** Set by nack: redeliver from this batch index (0 for a record listener) after `sleepMs`. */
  nack: { index: number; sleepMs: number } | undefined;
}

export function createAcknowledgment(
  batchSize: number,
  onAcknowledge: () => void,
): { acknowledgment: Acknowledgment; decision: AckDecision } {
  const decision: AckDecision = { acknowledged: false, nack: undefined };
  const acknowledgment: Acknowledgment = {
    acknowledge() {
      if (decision.acknowledged) return;
      decision.acknowledged = true;
      onAcknowledge();
    },
    nack(a: number, b?: number) {
      const [index, sleepMs] = b === undefined ? [0, a] : [a, b];
      if (!(sleepMs >= 0)) throw new RangeError(`nack sleep must be >= 0 ms, was ${sleepMs}`);
      if (!Number.isInteger(index) || index < 0 || index >= batchSize) {
        throw new RangeError(`nack index ${index} is outside the batch of ${batchSize}`);
      }
      decision.nack = { index, sleepMs };
    },
  };
  return { acknowledgment, decision };
}
