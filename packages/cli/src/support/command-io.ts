/**
 * Where a command reads and writes, so tests can run commands in-process with captured output
 * and the binary can hand over the real process streams.
 */
export interface CommandIo {
  readonly stdout: { write(text: string | Uint8Array): unknown };
  readonly stderr: { write(text: string | Uint8Array): unknown };
  readonly stdin: NodeJS.ReadableStream;
  /** Kafka's tools prompt only when `System.console() != null`: both stdin and stdout are terminals. */
  readonly interactive: boolean;
  /** Progress lines go to stderr only when it is a terminal. */
  readonly stderrIsTTY: boolean;
  readonly stdoutIsTTY?: boolean;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly and print their summary. */
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams and signals. */
export function processIo(signal: AbortSignal): CommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    signal,
    env: process.env,
  };
}
