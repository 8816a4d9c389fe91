import diagnostics from 'node:diagnostics_channel';

/**
 * `samsa:app:listener`: one message per listener event, published only when someone subscribes:
 * `{ listenerId, groupId, event, topic?, partition?, offset?, error?, count? }` with `event` one of
 * `start`, `stop`, `record` (handled), `batch` (handled, with `count`), `failure`, `retry`,
 * `recovered` (e.g. dead-lettered), `commit` (the container committed offsets, `count`
 * partitions), `idle`, `assigned`, `revoked`.
 */
export const listenerChannel = diagnostics.channel('samsa:app:listener');

export interface ListenerEvent {
  readonly listenerId: string;
  readonly groupId: string | null;
  readonly event: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: bigint;
  readonly count?: number;
  readonly error?: Error;
}

/** What an event carries besides the names of its container and itself. */
export type ListenerEventFields = Omit<ListenerEvent, 'listenerId' | 'groupId' | 'event'>;

/** Counters of one listener container (summed over a concurrent container's children). */
export interface ListenerMetrics {
  /** Records handed to the listener and handled without error. */
  records: number;
  batches: number;
  /** Failed deliveries (each retry that fails again counts). */
  failures: number;
  /** Failures that will be delivered again (blocking retries). */
  retries: number;
  /** Records given up on and recovered (dead-lettered, or logged when no recoverer). */
  recovered: number;
  commits: number;
  /** Records between the position and the high watermark, summed over the assignment. */
  lag: number;
}

export function emptyMetrics(): ListenerMetrics {
  return { records: 0, batches: 0, failures: 0, retries: 0, recovered: 0, commits: 0, lag: 0 };
}

export function publishListenerEvent(event: ListenerEvent): void {
  if (listenerChannel.hasSubscribers) listenerChannel.publish(event);
}
