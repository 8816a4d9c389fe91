import type { ConsumerRecord } from '@samsa/client';

/** No reply came within the request's timeout (Spring's `KafkaReplyTimeoutException`, same message). */
export class KafkaReplyTimeoutException extends Error {
  constructor(message = 'Reply timed out') {
    super(message);
    this.name = 'KafkaReplyTimeoutException';
  }
}

/**
 * One request waiting for its reply. It settles exactly once — with the reply, the timeout, a
 * send failure or the template stopping — and whichever comes first clears the timer, so a
 * settled request holds no timer and later outcomes are no-ops.
 */
export class RequestReplyFuture<K, R> {
  readonly promise: Promise<ConsumerRecord<K, R>>;
  private resolveReply!: (record: ConsumerRecord<K, R>) => void;
  private rejectReply!: (error: Error) => void;
  private readonly timer: NodeJS.Timeout;
  private settled = false;

  /** `onTimeout` runs when the timeout fires first (the owner forgets the request there). */
  constructor(timeoutMs: number, onTimeout: () => void) {
    this.promise = new Promise<ConsumerRecord<K, R>>((resolve, reject) => {
      this.resolveReply = resolve;
      this.rejectReply = reject;
    });
    this.timer = setTimeout(() => {
      if (this.settled) return;
      onTimeout();
      this.fail(new KafkaReplyTimeoutException());
    }, timeoutMs);
  }

  get isDone(): boolean {
    return this.settled;
  }

  complete(reply: ConsumerRecord<K, R>): void {
    if (this.settle()) this.resolveReply(reply);
  }

  fail(error: Error): void {
    if (this.settle()) this.rejectReply(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    return true;
  }
}
