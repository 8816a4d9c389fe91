import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
export const CONNECT_STANDALONE_SH = `${REPO_ROOT}bin/connect-standalone.sh`;
export const CONNECT_DISTRIBUTED_SH = `${REPO_ROOT}bin/connect-distributed.sh`;

/**
 * `bin/connect-standalone.sh` (or `script`, e.g. connect-distributed.sh) as a child process in
 * `cwd`: resolves once the worker logged "Kafka Connect started", with the REST URL it logged.
 * Output is kept for failure messages.
 */
export class WorkerProcess {
  output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    exited: Promise<number | null>,
  ) {
    this.exited = exited;
  }

  url = '';

  static async start(
    cwd: string,
    args: readonly string[],
    timeoutMs = 30_000,
    script = CONNECT_STANDALONE_SH,
  ): Promise<WorkerProcess> {
    const child = spawn(script, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const worker = new WorkerProcess(child, exited);
    const append = (chunk: Buffer) => {
      worker.output += chunk.toString('utf8');
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${worker.output}`)),
        timeoutMs,
      );
      const check = () => {
        const match = /REST server listening at (http:\/\/\S+?)\/,/.exec(worker.output);
        if (match !== null) worker.url = match[1]!.replace('0.0.0.0', '127.0.0.1');
        if (worker.output.includes('Kafka Connect started')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code} before starting:\n${worker.output}`));
      });
    });
    return worker;
  }

  /** SIGKILL: the worker dies without leaving its group or flushing anything. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, as a service manager stops it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** Runs `bin/connect-standalone.sh` (or `script`) expecting it to fail; resolves with its exit code and output. */
export function runToExit(
  cwd: string,
  args: readonly string[],
  script = CONNECT_STANDALONE_SH,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(script, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
