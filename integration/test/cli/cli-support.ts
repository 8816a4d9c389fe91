import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunResult, run } from '@samsa/testkit';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file runs from integration/dist/test/cli). */
export const REPO_ROOT = join(here, '..', '..', '..', '..');
export const BIN = join(REPO_ROOT, 'bin');

/** A short connect timeout so that the unreachable-broker cases end quickly. */
const ENV = { ...process.env, SAMSA_CONNECT_TIMEOUT_MS: process.env.SAMSA_CONNECT_TIMEOUT_MS ?? '4000' };

/** Runs `bin/<script>` (a kafka-*.sh wrapper, or `samsa`) from a directory outside the repository. */
export function script(name: string, args: readonly string[], input = '', timeoutMs = 30000): Promise<RunResult> {
  return run(join(BIN, name), args, { input, timeoutMs, env: ENV, cwd: '/' });
}

/** `script` with environment variables added (or, with undefined, removed). */
export function scriptWithEnv(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<RunResult> {
  const merged: NodeJS.ProcessEnv = { ...ENV };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return run(join(BIN, name), args, { timeoutMs: 30000, env: merged, cwd: '/' });
}

/** The compiled `samsa` entry point, for runs without bash on the PATH. */
export const SAMSA_JS = join(REPO_ROOT, 'packages', 'cli', 'dist', 'src', 'bin', 'samsa.js');

/** `bin/samsa <args>`. */
export function samsa(args: readonly string[], input = '', timeoutMs = 30000): Promise<RunResult> {
  return script('samsa', args, input, timeoutMs);
}

/** A long-running tool (console consumer) whose output is read while it runs. */
export class RunningScript {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(name: string, args: readonly string[]) {
    this.child = spawn(join(BIN, name), args, { stdio: ['ignore', 'pipe', 'pipe'], env: ENV, cwd: '/' });
    this.child.stdout?.on('data', (c: Buffer) => {
      this.stdout += c.toString('utf8');
    });
    this.child.stderr?.on('data', (c: Buffer) => {
      this.stderr += c.toString('utf8');
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Waits until stdout has `lines` complete lines. */
  async waitForLines(lines: number, timeoutMs = 20000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.stdout.split('\n').slice(0, -1);
      if (current.length >= lines) return current;
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${lines} lines within ${timeoutMs} ms, got:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ctrl-C: the tool stops cleanly. Resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}
