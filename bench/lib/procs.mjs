/**
 * Child processes of the suite: every one is tracked, so an interrupted run stops what it
 * started (brokers, mock clusters, load generators) and nothing else.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const live = new Set();

export function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}
process.on('exit', killAll);

/** Runs a command to completion (or until timeoutMs, then SIGKILL); resolves with its output. */
export function runCommand(cmd, args, { timeoutMs = 120000, cwd } = {}) {
  return new Promise((resolve) => {
    const child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/**
 * A Samsa broker in its own process on a free loopback port, with a fresh data dir.
 * `nodeArgs` adds flags such as --cpu-prof; `wrap` runs it under another command (strace).
 */
export class SamsaBroker {
  static async start({ brokerMain, dataDir, properties = {}, nodeArgs = [], wrap = [], log }) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const props = {
      'broker.id': 0,
      listeners: 'PLAINTEXT://127.0.0.1:0',
      'log.dirs': join(dataDir, 'logs'),
      'num.partitions': 1,
      'offsets.topic.replication.factor': 1,
      'offsets.topic.num.partitions': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
      ...properties,
    };
    const configPath = join(dataDir, 'server.properties');
    writeFileSync(
      configPath,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    const argv = [...wrap, process.execPath, ...nodeArgs, brokerMain, configPath];
    const child = track(
      spawn(argv[0], argv.slice(1), {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SAMSA_LOG_LEVEL: 'info' },
      }),
    );
    let output = '';
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`broker did not start:\n${output}`)), 30000);
      const onData = (d) => {
        output += d;
        // Every listener is bound once the broker says it started (its port lines come first).
        const m = /Awaiting socket connections on [^:]+:(\d+)/.exec(output);
        if (m && output.includes('started (cluster')) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`broker exited (${code}) during startup:\n${output}`)));
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    log?.(
      `  samsa broker on 127.0.0.1:${port} (${Object.keys(properties).length ? JSON.stringify(properties) : 'defaults'})`,
    );
    return new SamsaBroker(child, port, dataDir, () => output);
  }

  /** The port of a listener other than the first (all are logged at startup). */
  portOf(listenerName) {
    for (const m of this.output().matchAll(/Awaiting socket connections on [^\s]+:(\d+) \(([A-Z0-9_]+)/g)) {
      if (m[2] === listenerName) return Number(m[1]);
    }
    throw new Error(`no listener ${listenerName}`);
  }

  constructor(child, port, dataDir, output) {
    this.child = child;
    this.port = port;
    this.dataDir = dataDir;
    this.output = output;
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  get bootstrap() {
    return `127.0.0.1:${this.port}`;
  }

  /** Clean shutdown (SIGINT, so --cpu-prof writes its profile); SIGKILL after 20 s. */
  async stop({ keepData = false, signalPid } = {}) {
    try {
      process.kill(signalPid ?? this.child.pid, 'SIGINT');
    } catch {}
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20000);
    await this.exited;
    clearTimeout(timer);
    if (!keepData) rmSync(join(this.dataDir, 'logs'), { recursive: true, force: true });
  }
}

/** librdkafka's mock cluster in its own process (bench/lib/mock-cluster.c). */
export class MockCluster {
  static async start(binary, topics) {
    const child = track(spawn(binary, topics, { stdio: ['pipe', 'pipe', 'pipe'] }));
    let output = '';
    const bootstrap = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mock cluster did not start: ${output}`)), 10000);
      child.stdout.on('data', (d) => {
        output += d;
        const line = output.split('\n')[0];
        if (output.includes('\n')) {
          clearTimeout(timer);
          resolve(line.trim());
        }
      });
      child.once('exit', (code) => reject(new Error(`mock cluster exited (${code}): ${output}`)));
    });
    const m = new MockCluster();
    m.child = child;
    m.bootstrap = bootstrap;
    m.exited = new Promise((r) => child.once('exit', r));
    return m;
  }

  async stop() {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(timer);
  }
}
