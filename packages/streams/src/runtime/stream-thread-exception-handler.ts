/**
 * Java's `StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse` (KIP-671): what the
 * instance does when its stream thread dies of an exception.
 *
 * - REPLACE_THREAD: the thread's tasks are closed without committing, its clients leave the
 *   group, and a new thread (`…-StreamThread-<n+1>`) joins: the tasks come back from the last
 *   committed offsets and their changelogs, and the instance keeps running (state RUNNING →
 *   REBALANCING → RUNNING). Under at_least_once what was processed since the last commit is
 *   processed again.
 * - SHUTDOWN_CLIENT: this instance stops (PENDING_ERROR → ERROR); the others take its tasks over.
 * - SHUTDOWN_APPLICATION: every instance of the application stops; the request travels in the
 *   group's committed-offset metadata (see application-shutdown.ts), not in Java's assignment.
 */
export const StreamThreadExceptionResponse = {
  REPLACE_THREAD: 'REPLACE_THREAD',
  SHUTDOWN_CLIENT: 'SHUTDOWN_CLIENT',
  SHUTDOWN_APPLICATION: 'SHUTDOWN_APPLICATION',
} as const;
export type StreamThreadExceptionResponse =
  (typeof StreamThreadExceptionResponse)[keyof typeof StreamThreadExceptionResponse];

/**
 * Java's `StreamsUncaughtExceptionHandler`. A handler returning nothing (the form older Samsa
 * versions took) means SHUTDOWN_CLIENT, Java's default.
 */
export type StreamsUncaughtExceptionHandler =
  | ((exception: Error) => StreamThreadExceptionResponse)
  | ((exception: Error) => void);

/** The handler's answer, or SHUTDOWN_CLIENT when there is none, it returns something else, or it throws. */
export function uncaughtExceptionResponse(
  handler: StreamsUncaughtExceptionHandler | undefined,
  error: Error,
): StreamThreadExceptionResponse {
  let response: unknown;
  try {
    response = handler?.(error);
  } catch (thrown) {
    console.error('The uncaught exception handler threw; shutting the client down.', thrown);
  }
  return Object.values(StreamThreadExceptionResponse).includes(response as StreamThreadExceptionResponse)
    ? (response as StreamThreadExceptionResponse)
    : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
}
