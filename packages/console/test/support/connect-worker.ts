import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@samsa/testkit';

const CONNECT_STANDALONE = fileURLToPath(new URL('../../../../../bin/connect-standalone.sh', import.meta.url));

/**
 * A real Kafka Connect worker (Samsa's `bin/connect-standalone.sh`) on a free loopback port, its
 * offsets and files in a temp directory, for the console's Connect tests.
 */
export class ConnectWorker {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
    readonly url: string,
    readonly dir: string,
  ) {}

  static async start(bootstrapServers: string): Promise<ConnectWorker> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-console-connect-'));
    const port = await freePort();
    const config = join(dir, 'worker.properties');
    writeFileSync(
      config,
      [
        `bootstrap.servers=${bootstrapServers}`,
        'key.converter=org.apache.kafka.connect.storage.StringConverter',
        'value.converter=org.apache.kafka.connect.storage.StringConverter',
        `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
        'offset.flush.interval.ms=1000',
        `listeners=http://127.0.0.1:${port}`,
        '',
      ].join('\n'),
    );
    const child = spawn(CONNECT_STANDALONE, [config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const worker = new ConnectWorker(child, exited, `http://127.0.0.1:${port}`, dir);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${worker.output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        worker.output += chunk.toString('utf8');
        if (worker.output.includes('Kafka Connect started')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code} before starting:\n${worker.output}`));
      });
    });
    return worker;
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
