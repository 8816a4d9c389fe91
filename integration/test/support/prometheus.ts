/**
 * Reading `/metrics` as Prometheus does: the exposition is parsed by the official Python client's
 * parser (Debian's python3-prometheus-client) and linted by promtool (Debian's prometheus), and
 * a real Prometheus server scrapes brokers for the dashboard's queries.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireCommand, requirePythonModule, run } from '@samsa/testkit';

/** One sample: its name (with a `_bucket`/`_sum`/… suffix), labels and value. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** Family name → its TYPE (counter families are named without `_total` by the parser). */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly MetricSample[];
}

export async function scrape(port: number, path = '/metrics'): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
types, samples = {}, []
for family in text_string_to_metric_families(sys.stdin.read()):
    types[family.name] = family.type
    for s in family.samples:
        samples.append([s.name, s.labels, s.value])
print(json.dumps({'types': types, 'samples': samples}))
`;

/** Parses the text format with prometheus_client's parser; a malformed exposition fails the test. */
export async function parseExposition(text: string): Promise<Exposition> {
  const python = requirePythonModule('prometheus_client', 'python3-prometheus-client');
  const result = await run(python, ['-c', PARSE], { input: text, timeoutMs: 30000 });
  assert.equal(result.code, 0, `prometheus_client could not parse /metrics:\n${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as {
    types: Record<string, string>;
    samples: [string, Record<string, string>, number][];
  };
  return {
    types: new Map(Object.entries(parsed.types)),
    samples: parsed.samples.map(([name, labels, value]) => ({ name, labels, value })),
  };
}

/** promtool's complaints about the exposition, one per line (empty when it has none). */
export async function lintExposition(text: string): Promise<string[]> {
  const promtool = requireCommand('promtool', 'prometheus');
  const result = await run(promtool, ['check', 'metrics'], { input: text, timeoutMs: 30000 });
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The value of the one sample named `name` whose labels include `labels`; fails when there is none. */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = exposition.samples.filter(
    (s) =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
      // No labels asked for: the unlabelled series (the all-topics meter), not any of them.
      (Object.keys(labels).length > 0 || Object.keys(s.labels).length === 0),
  );
  assert.equal(found.length, 1, `expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return (found[0] as MetricSample).value;
}

/** A Prometheus server (Debian's `prometheus`) scraping `/metrics` of some brokers every second. */
export class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly output: () => string,
  ) {}

  static async start(metricsPorts: readonly number[]): Promise<PrometheusServer> {
    const prometheus = requireCommand('prometheus', 'prometheus');
    const dir = mkdtempSync(join(tmpdir(), 'samsa-prometheus-'));
    const port = await freePort();
    const targets = metricsPorts.map((p) => `'127.0.0.1:${p}'`).join(', ');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: samsa\n    static_configs:\n      - targets: [${targets}]\n`,
    );
    const child = spawn(
      prometheus,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const server = new PrometheusServer(child, dir, port, () => output);
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) return server;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        await server.close();
        throw new Error(`prometheus did not become ready:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** How many scrapes of the least-scraped target the last minute holds. */
  async scrapes(): Promise<number> {
    const result = await this.query('min(count_over_time(up[1m]))');
    return Number(result[0]?.value[1] ?? 0);
  }

  /** Waits `more` scrapes of every target beyond those done now: they see the present state. */
  async awaitMoreScrapes(more: number): Promise<void> {
    await this.awaitScrapes((await this.scrapes()) + more);
  }

  /** Waits until every target has been scraped successfully `count` times. */
  async awaitScrapes(count: number, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const scrapes = await this.scrapes();
      const down = await this.query('up == 0');
      if (scrapes >= count && down.length === 0) return;
      if (Date.now() > deadline) throw new Error(`targets not scraped ${count} times:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** An instant query; fails the test when Prometheus refuses the expression. */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown } };
    assert.equal(body.status, 'success', `prometheus refused ${expr}: ${body.error}`);
    return body.data?.result as { metric: Record<string, string>; value: [number, string] }[];
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
