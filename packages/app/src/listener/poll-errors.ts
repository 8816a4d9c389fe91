import { ClientError, ClientErrorCode, ErrorCode, isAuthenticationError, KafkaError } from '@samsa/client';

/** Group errors the consumer recovers from by rejoining: a rebalance under way, not a failure. */
const REJOIN_CODES = new Set<number>([
  ErrorCode.REBALANCE_IN_PROGRESS,
  ErrorCode.UNKNOWN_MEMBER_ID,
  ErrorCode.ILLEGAL_GENERATION,
]);

/** Client errors that pass once brokers answer again (they come from retriable causes). */
const TRANSIENT_CLIENT_CODES = new Set<string>([ClientErrorCode.NO_BROKERS, ClientErrorCode.METADATA_TIMEOUT]);

/**
 * Whether an error thrown by `poll` lets the container keep polling (after a back-off), as
 * Spring's container does for anything but fatal errors: Kafka's retriable errors (a broker or
 * the coordinator unreachable or moving, a request timed out, `KafkaConnectionError`), the
 * rejoin errors of a rebalance, and no broker reachable for a while. Fatal, so the container
 * stops: authentication and authorization failures, a fenced `group.instance.id`, no offset to
 * start from with `auto.offset.reset=none`, a detected log truncation, a bad configuration, a
 * closed consumer, and anything that is not a Kafka or client error (a bug, or an error thrown
 * by the application's rebalance listener).
 */
export function isRetriablePollError(error: unknown): boolean {
  if (isAuthenticationError(error)) return false;
  if (error instanceof KafkaError) return error.retriable || REJOIN_CODES.has(error.errorCode);
  if (error instanceof ClientError) return TRANSIENT_CLIENT_CODES.has(error.code);
  return false;
}

/** Waits between polls that failed with a retriable error: 100 ms doubling to 5 s. */
export class PollBackOff {
  private failures = 0;

  /** The wait after one more failure in a row. */
  next(): number {
    this.failures++;
    return Math.min(100 * 2 ** (this.failures - 1), 5000);
  }

  /** A poll succeeded. */
  reset(): void {
    this.failures = 0;
  }
}

/**
 * The container's sleeps (an error handler's back-off, a retriable poll error's): each ends
 * early when the container stops, and forgets its waker when it ends either way.
 */
export class Sleeps {
  private readonly wakers = new Set<() => void>();

  sleep(ms: number, stopping: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      if (stopping) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** Ends every sleep now. */
  wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Sleeps under way (a leak shows here). */
  get size(): number {
    return this.wakers.size;
  }
}
