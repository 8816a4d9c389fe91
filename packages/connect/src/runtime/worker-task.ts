/** Kafka's task and connector states, as `/status` reports them. */
export const State = {
  UNASSIGNED: 'UNASSIGNED',
  RUNNING: 'RUNNING',
  PAUSED: 'PAUSED',
  FAILED: 'FAILED',
  STOPPED: 'STOPPED',
  RESTARTING: 'RESTARTING',
} as const;
export type State = (typeof State)[keyof typeof State];

/** What the herder needs of a running source or sink task. */
export interface WorkerTask {
  readonly id: number;
  readonly state: State;
  /** The failure's stack when FAILED. */
  readonly trace: string | undefined;
  start(paused: boolean): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops the task: waits for its loop, commits what it wrote, then closes its client. */
  stop(): Promise<void>;
}

export function traceOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** A promise resolved by `open()`, for loops that wait while paused. */
export class Gate {
  private waiter: { promise: Promise<void>; resolve: () => void } | undefined;

  wait(): Promise<void> {
    if (this.waiter === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.waiter = { promise, resolve };
    }
    return this.waiter.promise;
  }

  open(): void {
    this.waiter?.resolve();
    this.waiter = undefined;
  }
}
