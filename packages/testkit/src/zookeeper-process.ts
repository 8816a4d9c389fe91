import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { killOnExit } from './reaper.js';
import { requireCommand } from './tools.js';

/** Debian's ZooKeeper (package `zookeeper`), run standalone from its jar. */
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';

/**
 * A standalone ZooKeeper server on a free 127.0.0.1 port with a temp data dir, from Debian's
 * `zookeeper` package (Java). Used by cluster tests and by tools that need one (Burrow).
 */
export class ZooKeeperProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly dataDir: string,
    private readonly exited: Promise<number | null>,
  ) {}

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<ZooKeeperProcess> {
    const java = requireCommand('java', 'default-jre-headless');
    if (!existsSync(ZOOKEEPER_JAR)) {
      throw new Error(
        `${ZOOKEEPER_JAR} not found (Debian package zookeeper); install the test dependencies with: sudo bash .ci/install-deps.sh`,
      );
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'samsa-zk-'));
    mkdirSync(join(dataDir, 'data'));
    const port = await freePort();
    const config = join(dataDir, 'zoo.cfg');
    writeFileSync(
      config,
      [
        'tickTime=500',
        // A test's ZooKeeper need not survive a power cut; fsyncing its log behind the brokers'
        // writes delayed session expiry by seconds on a loaded machine.
        'forceSync=no',
        `dataDir=${join(dataDir, 'data')}`,
        `clientPort=${port}`,
        'clientPortAddress=127.0.0.1',
        'maxClientCnxns=0',
        'admin.enableServer=false',
        '4lw.commands.whitelist=ruok,srvr',
        '',
      ].join('\n'),
    );
    const child = spawn(
      java,
      [
        '-Xmx256m',
        '-cp',
        `/etc/zookeeper/conf:${ZOOKEEPER_JAR}`,
        'org.apache.zookeeper.server.ZooKeeperServerMain',
        config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    killOnExit(child);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30000;
    while (!(await ruok(port))) {
      if (child.exitCode !== null) throw new Error(`ZooKeeper exited during startup:\n${output}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`ZooKeeper did not answer ruok within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return new ZooKeeperProcess(child, port, dataDir, exited);
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** ZooKeeper's four-letter health check. */
function ruok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('ruok'));
    socket.on('data', (c) => {
      answer += c.toString();
    });
    socket.on('close', () => resolve(answer === 'imok'));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => socket.destroy());
  });
}
