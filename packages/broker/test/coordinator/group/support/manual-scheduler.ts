import type { CoordinatorScheduler } from '../../../../src/coordinator/group/coordinator-scheduler.js';

/** A scheduler whose clock moves only when the test says so. */
export class ManualScheduler implements CoordinatorScheduler {
  private tasks: { dueMs: number; task: () => void; cancelled: boolean }[] = [];

  constructor(public now = 1_700_000_000_000) {}

  nowMs(): number {
    return this.now;
  }

  schedule(delayMs: number, task: () => void): () => void {
    const entry = { dueMs: this.now + delayMs, task, cancelled: false };
    this.tasks.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  pendingCount(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Moves the clock forward, running due tasks in order (letting each one's async work settle). */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await settle();
      const due = this.tasks.filter((t) => !t.cancelled && t.dueMs <= target).sort((a, b) => a.dueMs - b.dueMs)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.now = Math.max(this.now, due.dueMs);
      due.task();
    }
    this.now = target;
    await settle();
  }
}

/** Lets pending promise chains run to completion. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
