import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killOnExit } from './reaper.js';

/** The compiled broker entry point, found through the package's `./main` export. */
export const BROKER_MAIN = fileURLToPath(import.meta.resolve('@samsa/broker/main'));

export interface BrokerProcessOptions {
  /** Extra `server.properties` entries (Kafka's key names). */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /** Reuse a data dir (restarts); a fresh temp dir otherwise. */
  readonly dataDir?: string;
  /** Fixed port; 0 (default) picks a free one. */
  readonly port?: number;
  readonly startTimeoutMs?: number;
  /** Another build's `main.js` (benchmarks of an older checkout); BROKER_MAIN by default. */
  readonly brokerMain?: string;
  /** Flags for node before the script, e.g. `--cpu-prof` (its profile is written on a clean stop). */
  readonly nodeArgs?: readonly string[];
}

/**
 * A Samsa broker in its own process, on a free loopback port, with a temp data dir — the way
 * integration tests meet it: real sockets, real files, and a process that can be killed with
 * SIGKILL to test crash recovery.
 */
export class BrokerProcess {
  private exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly port: number,
    private readonly ownsDataDir: boolean,
    exited: Promise<number | null>,
    output: () => string,
  ) {
    this.exited = exited;
    Object.defineProperty(this, 'logs', { get: output });
  }

  /** Everything the broker printed so far. */
  declare readonly logs: string;

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The port a listener bound (listeners configured with port 0 pick one). */
  portOf(listenerName: string): number {
    const pattern = /Awaiting socket connections on [^\s]+:(\d+) \(([A-Z0-9_]+)/g;
    for (const match of this.logs.matchAll(pattern)) {
      if (match[2] === listenerName.toUpperCase()) return Number(match[1]);
    }
    throw new Error(`the broker has no listener ${listenerName}`);
  }

  static async start(options: BrokerProcessOptions = {}): Promise<BrokerProcess> {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'samsa-broker-'));
    const properties: Record<string, string | number | boolean> = {
      'broker.id': 0,
      listeners: `PLAINTEXT://127.0.0.1:${options.port ?? 0}`,
      'log.dirs': join(dataDir, 'logs'),
      'offsets.topic.replication.factor': 1,
      'offsets.topic.num.partitions': 5,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'transaction.state.log.num.partitions': 5,
      'group.initial.rebalance.delay.ms': 0,
      ...options.properties,
    };
    const configPath = join(dataDir, 'server.properties');
    writeFileSync(
      configPath,
      `${Object.entries(properties)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), options.brokerMain ?? BROKER_MAIN, configPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SAMSA_LOG_LEVEL: process.env.SAMSA_LOG_LEVEL ?? 'info' },
      },
    );
    killOnExit(child);
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      // A broker that did not start in time is killed: nobody holds a handle to stop it later.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`broker did not start within ${options.startTimeoutMs ?? 20000} ms:\n${output}`));
      }, options.startTimeoutMs ?? 20000);
      let started = false;
      // Collects everything the broker prints, for as long as it runs; looks for the startup lines
      // only until they came.
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (started) return;
        const match = /Awaiting socket connections on [^\s]+:(\d+)/.exec(output);
        if (match !== null && output.includes('started (cluster')) {
          started = true;
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`broker exited with code ${code} during startup:\n${output}`));
      });
    });
    // The startup listener keeps collecting the output from here on.
    return new BrokerProcess(child, dataDir, port, ownsDataDir, exited, () => output);
  }

  /** Graceful stop (SIGTERM → clean shutdown). Resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Freezes the process (SIGSTOP): it keeps its sockets but answers nothing, ZooKeeper included. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  /** Thaws a paused process (SIGCONT). */
  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** Resolves with the exit code when the process exits on its own (or is stopped). */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Crash (SIGKILL): no flush, no clean-shutdown marker. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      // A stopped process dies on SIGKILL too, but only once the kernel delivers it.
      this.child.kill('SIGCONT');
    }
    await this.exited;
  }

  /** Stops the broker and removes its temp data dir (if the harness created it). */
  async close(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
