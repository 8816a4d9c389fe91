/**
 * `npm start` (scripts/start.mjs): the broker of config/server.properties and, beside it, the web
 * console for it, whose URL is printed; SIGTERM stops both cleanly; `--no-console` starts the
 * broker alone.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort } from '@samsa/testkit';
import { REPO_ROOT } from './cli-support.js';

const START = join(REPO_ROOT, 'scripts', 'start.mjs');
const SERVER_PROPERTIES = join(REPO_ROOT, 'config', 'server.properties');

class Started {
  readonly child: ChildProcess;
  output = '';
  private readonly exited: Promise<number | null>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [START, SERVER_PROPERTIES, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves with the first match of `pattern` in the output, or fails with the output so far. */
  async waitFor(pattern: RegExp, timeoutMs = 30000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        assert.fail(`no ${pattern} in the output:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

describe('npm start', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function brokerOverrides(): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-start-'));
    dirs.push(dir);
    const [brokerPort, metricsPort] = [await freePort(), await freePort()];
    return [
      '--override',
      `log.dirs=${dir}`,
      '--override',
      `listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
      '--override',
      `metrics.listener=http://127.0.0.1:${metricsPort}`,
    ];
  }

  test('starts the broker and the console for it, prints the console URL, and SIGTERM stops both', async () => {
    const overrides = await brokerOverrides();
    const brokerPort = /listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/.exec(overrides.join(' '))?.[1];
    const metricsPort = /metrics\.listener=http:\/\/127\.0\.0\.1:(\d+)/.exec(overrides.join(' '))?.[1];
    const started = new Started([...overrides, '--console-port', String(await freePort())]);
    try {
      // The console is pointed at the broker's PLAINTEXT listener.
      const [, consoleBootstrapPort, url] = await started.waitFor(
        /console for local \(127\.0\.0\.1:(\d+)\) listening on (http:\/\/\S+)/,
      );
      assert.equal(consoleBootstrapPort, brokerPort);
      await started.waitFor(/\[KafkaServer id=0\] started/);
      const page = await fetch(url as string);
      assert.equal(page.status, 200);
      const cluster = (await (await fetch(`${url}api/clusters/local`)).json()) as { brokers: unknown[] };
      assert.equal(cluster.brokers.length, 1);
      // The console reads bytes out from the broker's metrics.listener port.
      const throughput = (await (await fetch(`${url}api/clusters/local/throughput`)).json()) as { bytesOut: string };
      assert.match(throughput.bytesOut, new RegExp(`port ${metricsPort}$`));
    } finally {
      assert.equal(await started.stop(), 0, started.output);
    }
    assert.match(started.output, /shut down completed/);
  });

  test('--no-console starts the broker alone', async () => {
    const started = new Started([...(await brokerOverrides()), '--no-console']);
    try {
      await started.waitFor(/\[KafkaServer id=0\] started/);
    } finally {
      assert.equal(await started.stop(), 0, started.output);
    }
    assert.doesNotMatch(started.output, /console/);
  });
});
