import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where Debian's `postgresql` package puts the server binaries (initdb, pg_ctl, postgres). */
const CANDIDATE_BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function binDir(): string {
  const found = CANDIDATE_BIN_DIRS.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl) not found in ${CANDIDATE_BIN_DIRS.join(', ')}: install the Debian package postgresql (apt-get install postgresql, or .ci/install-deps.sh)`,
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * A throwaway PostgreSQL cluster for one test file: `initdb` into a temp dir (trust auth, user
 * `postgres`, fsync off), `pg_ctl start` on a free loopback port with its socket in that dir,
 * `restart()` stops and starts the server in place, `stop()` shuts it down immediately and
 * deletes the dir. PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user (`runuser -u postgres --`), which owns the dir.
 */
export class PostgresCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly asUser: readonly string[],
  ) {}

  static async start(): Promise<PostgresCluster> {
    const bin = binDir();
    const root = userInfo().uid === 0;
    const asUser = root ? ['runuser', '-u', 'postgres', '--'] : [];
    const dir = mkdtempSync(join(tmpdir(), 'samsa-pg-'));
    if (root) {
      let uid: number;
      let gid: number;
      try {
        uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
        gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      } catch {
        throw new Error('user postgres not found: install the Debian package postgresql, which creates it');
      }
      chownSync(dir, uid, gid);
    }
    const port = await freePort();
    const cluster = new PostgresCluster(dir, port, bin, asUser);
    cluster.run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    cluster.startServer();
    return cluster;
  }

  /** `jdbc:postgresql://127.0.0.1:<port>/<database>`; user `postgres`, no password (trust). */
  jdbcUrl(database = 'postgres'): string {
    return `jdbc:postgresql://127.0.0.1:${this.port}/${database}?user=postgres`;
  }

  /** node-postgres options for the test's own checks. */
  clientConfig(database = 'postgres'): { host: string; port: number; user: string; database: string } {
    return { host: '127.0.0.1', port: this.port, user: 'postgres', database };
  }

  /**
   * Restarts the server itself on the same port and data dir: `pg_ctl stop -m fast` (sessions
   * are terminated, the server shuts down cleanly), then `pg_ctl start`. While it is down,
   * connecting is refused; `down` runs then (e.g. to check that it is).
   */
  async restart(down?: () => Promise<void>): Promise<void> {
    // Not execFileSync: an in-process worker must keep running (and failing to connect) meanwhile.
    await this.runAsync('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', '-t', '30', 'stop']);
    await down?.();
    await this.runAsync('pg_ctl', this.startArgs());
  }

  private startServer(): void {
    this.run('pg_ctl', this.startArgs());
  }

  private startArgs(): string[] {
    return [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ];
  }

  private async runAsync(tool: string, args: readonly string[]): Promise<void> {
    const [command, ...prefix] = [...this.asUser, join(this.bin, tool)];
    try {
      await execFileAsync(command!, [...prefix, ...args], { cwd: this.dir });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${tool} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }

  private run(tool: string, args: readonly string[]): void {
    const [command, ...prefix] = [...this.asUser, join(this.bin, tool)];
    try {
      execFileSync(command!, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    } catch (error) {
      const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
      throw new Error(`${tool} failed: ${e.message}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    }
  }

  async stop(): Promise<void> {
    try {
      this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
