/**
 * The clock and timers the group coordinator runtime uses, injectable so that tests drive time by
 * hand. The state machine itself never reads a clock; the runtime passes it `nowMs()` and wakes it
 * through `schedule` when its earliest deadline is due.
 */
export interface CoordinatorScheduler {
  /** Milliseconds since the epoch. */
  nowMs(): number;
  /** Runs `task` once after `delayMs`; returns a function that cancels it. Must not keep the process alive. */
  schedule(delayMs: number, task: () => void): () => void;
}

/** `setTimeout`'s largest delay; longer ones would fire after 1 ms. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Wall clock and unref'd `setTimeout`s: a pending group timer never keeps the broker process alive. */
export const systemScheduler: CoordinatorScheduler = {
  nowMs: () => Date.now(),
  schedule(delayMs, task) {
    const handle = setTimeout(task, Math.min(Math.max(0, delayMs), MAX_TIMEOUT_MS));
    handle.unref();
    return () => clearTimeout(handle);
  },
};
