/**
 * Wraps what a listener threw (Spring's ListenerExecutionFailedException), naming the listener
 * and group. Error handlers classify by the cause; dead letters record the cause's class.
 */
export class ListenerExecutionFailedException extends Error {
  override readonly name = 'ListenerExecutionFailedException';
  constructor(
    message: string,
    readonly groupId: string | null,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** The listener's own error behind any wrappers. */
export function unwrapListenerError(error: Error): Error {
  let e: unknown = error;
  while (e instanceof ListenerExecutionFailedException && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e : new Error(String(e));
}

export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
