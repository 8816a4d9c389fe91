import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { loadProps } from '../support/client-properties.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { findJava, findZkCli, zookeeperClasspath } from '../support/zookeeper-install.js';

/**
 * `samsa zookeeper start|stop|shell`, what Kafka's `zookeeper-server-start.sh`,
 * `zookeeper-server-stop.sh` and `zookeeper-shell.sh` do, with Debian's ZooKeeper in place of the
 * one Kafka bundles: the server is `java ... org.apache.zookeeper.server.ZooKeeperServerMain
 * <zookeeper.properties>` (standalone), the shell is Debian's zkCli.sh.
 *
 * `-daemon` runs the server in the background, its output in `zookeeper.out` and its pid in
 * `zookeeper-server.pid`, both in `$LOG_DIR` (Kafka's variable) or else in the configured
 * `dataDir`. Stopping finds the server as Kafka's stop script does, among the running processes by
 * its main class (and the mark these scripts give it) — every one, or with a properties file only
 * the one started with it — and sends SIGTERM.
 */
const MAIN_CLASS = 'org.apache.zookeeper.server.ZooKeeperServerMain';
/**
 * Marks the servers these scripts start (as Kafka's `-name zookeeper` names its own), so that
 * stopping never touches a ZooKeeper started some other way — a system service, a test harness.
 */
const SERVICE_MARK = '-Dsamsa.service=zookeeper';
const DEFAULT_HEAP_OPTS = '-Xmx512M -Xms512M';
const OUT_NAME = 'zookeeper.out';
const PID_NAME = 'zookeeper-server.pid';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

export const ZOOKEEPER_USAGE = [
  'USAGE: samsa zookeeper start [-daemon] zookeeper.properties   (zookeeper-server-start.sh)',
  '       samsa zookeeper stop [zookeeper.properties]             (zookeeper-server-stop.sh)',
  '       samsa zookeeper shell host:port[/chroot] [command...]   (zookeeper-shell.sh)',
  '',
  "Runs Debian's ZooKeeper (package zookeeper): start runs a standalone server with the given",
  'configuration (-daemon: in the background, output in $LOG_DIR or dataDir/zookeeper.out); stop',
  'sends SIGTERM to the ZooKeeper servers started this way (only the one of the given file, if',
  'any); shell runs zkCli.sh against the server, one command or interactively.',
  '',
].join('\n');

interface ServerConfig {
  readonly path: string;
  readonly dataDir: string;
  readonly clientPort: number;
  readonly host: string;
}

function readConfig(file: string): ServerConfig {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new CommandError(`ERROR Invalid config, exiting abnormally: ${file} (No such file or directory)`);
  }
  const props = loadProps(path);
  const dataDir = props.get('dataDir');
  if (dataDir === undefined || dataDir === '') {
    throw new CommandError(`ERROR Invalid config, exiting abnormally: dataDir is not set in ${file}`);
  }
  const port = Number(props.get('clientPort') ?? '2181');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new CommandError(
      `ERROR Invalid config, exiting abnormally: clientPort ${props.get('clientPort')} in ${file}`,
    );
  }
  const address = props.get('clientPortAddress');
  const host = address === undefined || address === '' || address === '0.0.0.0' ? '127.0.0.1' : address;
  return { path, dataDir: resolve(dataDir), clientPort: port, host };
}

function javaArgs(config: ServerConfig, io: CommandIo): { java: string; args: string[] } {
  const java = findJava(io.env);
  const classpath = zookeeperClasspath(io.env);
  const words = (text: string | undefined) => (text ?? '').split(/\s+/).filter((w) => w !== '');
  const heap = io.env.KAFKA_HEAP_OPTS ?? DEFAULT_HEAP_OPTS;
  // Debian's log4j.properties names its root logger through this property (zkServer.sh sets it).
  const logging = '-Dzookeeper.root.logger=INFO,CONSOLE';
  return {
    java,
    args: [
      ...words(heap),
      SERVICE_MARK,
      logging,
      ...words(io.env.KAFKA_OPTS),
      '-cp',
      classpath,
      MAIN_CLASS,
      config.path,
    ],
  };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, host);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function startForeground(config: ServerConfig, io: CommandIo): Promise<number> {
  const { java, args } = javaArgs(config, io);
  const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'], env: io.env });
  child.stdout?.on('data', (c: Buffer) => io.stdout.write(c));
  child.stderr?.on('data', (c: Buffer) => io.stderr.write(c));
  const onAbort = () => child.kill('SIGTERM');
  io.signal.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number>((done) => {
    child.once('error', (error) => {
      io.stderr.write(`ERROR ${error.message}\n`);
      done(1);
    });
    // Stopped by a signal we forwarded: a clean stop, as for Kafka's scripts after Ctrl-C.
    child.once('exit', (status, signal) => done(status ?? (signal === 'SIGTERM' && io.signal.aborted ? 0 : 1)));
  });
  io.signal.removeEventListener('abort', onAbort);
  return code;
}

async function startDaemon(config: ServerConfig, io: CommandIo): Promise<number> {
  const { java, args } = javaArgs(config, io);
  if (await accepts(config.host, config.clientPort)) {
    throw new CommandError(
      `ERROR ${config.host}:${config.clientPort} is already in use: is a ZooKeeper server already running? (zookeeper-server-stop.sh stops it)`,
    );
  }
  const logDir = resolve(io.env.LOG_DIR ?? config.dataDir);
  mkdirSync(logDir, { recursive: true });
  const outPath = join(logDir, OUT_NAME);
  const pidPath = join(logDir, PID_NAME);
  const out = openSync(outPath, 'a');
  const child = spawn(java, args, { detached: true, stdio: ['ignore', out, out], env: io.env });
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new CommandError(`ERROR could not run ${java}`);
  writeFileSync(pidPath, `${pid}\n`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && alive(pid)) {
    if (await accepts(config.host, config.clientPort)) {
      io.stdout.write(`Started ZooKeeper in the background (pid ${pid}); output in ${outPath}\n`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  rmSync(pidPath, { force: true });
  const lines = existsSync(outPath) ? readFileSync(outPath, 'utf8').trim().split('\n') : [];
  const reason = lines.reverse().find((l) => /ERROR|Exception|Invalid/.test(l)) ?? lines[0] ?? '';
  throw new CommandError(`ERROR ZooKeeper did not start${reason === '' ? '' : `: ${reason.trim()}`} (see ${outPath})`);
}

/** The pids of the ZooKeeper servers these scripts started (of `configPath` only, if given), from `ps`. */
function serverPids(configPath: string | undefined): number[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const pids: number[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const words = (m[2] as string).split(/\s+/);
    const main = words.indexOf(MAIN_CLASS);
    if (main < 0 || !/java$/.test(words[0] ?? '') || !words.includes(SERVICE_MARK)) continue;
    if (configPath !== undefined && words[main + 1] !== configPath) continue;
    pids.push(Number(m[1]));
  }
  return pids.filter((pid) => pid !== process.pid);
}

async function stop(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.length > 1) throw new UsageError('USAGE: zookeeper-server-stop.sh [zookeeper.properties]');
  const config = argv[0] === undefined ? undefined : readConfig(argv[0]);
  const pids = serverPids(config?.path);
  if (pids.length === 0) {
    io.stdout.write('No zookeeper server to stop\n');
    return 1;
  }
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  for (const pid of pids) {
    while (alive(pid)) {
      if (Date.now() > deadline)
        throw new CommandError(`ERROR ZooKeeper (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (config !== undefined) {
    const pidPath = join(resolve(io.env.LOG_DIR ?? config.dataDir), PID_NAME);
    if (existsSync(pidPath) && pids.includes(Number(readFileSync(pidPath, 'utf8').trim()))) rmSync(pidPath);
  }
  return 0;
}

/** SLF4J's complaint that Debian's zkCli.sh has no logger binding: noise Kafka's shell does not print. */
const SLF4J_NOISE = /^SLF4J: /;

async function shell(argv: readonly string[], io: CommandIo): Promise<number> {
  const [server, ...rest] = argv;
  if (server === undefined || server.startsWith('-')) {
    throw new UsageError('USAGE: zookeeper-shell.sh zookeeper_host:port[/path] [args...]');
  }
  if (rest.includes('-zk-tls-config-file')) {
    throw new UsageError('-zk-tls-config-file is not supported: Samsa connects to ZooKeeper without TLS');
  }
  findJava(io.env);
  const cli = findZkCli(io.env);
  const child = spawn(cli, ['-server', server, ...rest], {
    stdio: [io.interactive ? 'inherit' : 'pipe', 'pipe', 'pipe'],
    env: io.env,
  });
  if (!io.interactive) io.stdin.pipe(child.stdin as NodeJS.WritableStream);
  child.stdout?.on('data', (c: Buffer) => io.stdout.write(c));
  let pending = '';
  child.stderr?.on('data', (c: Buffer) => {
    pending += c.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (!SLF4J_NOISE.test(line)) io.stderr.write(`${line}\n`);
  });
  const onAbort = () => child.kill('SIGTERM');
  io.signal.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number>((done) => child.once('close', (status) => done(status ?? 1)));
  io.signal.removeEventListener('abort', onAbort);
  if (pending !== '' && !SLF4J_NOISE.test(pending)) io.stderr.write(pending);
  return code;
}

/** `samsa zookeeper <start|stop|shell> ...`. */
export async function runZooKeeper(argv: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = argv;
  try {
    if (action === undefined || action === '--help' || action === '-h' || action === 'help') {
      (action === undefined ? io.stderr : io.stdout).write(ZOOKEEPER_USAGE);
      return action === undefined ? 1 : 0;
    }
    if (action === 'start') {
      const daemon = rest.some((a) => a === '-daemon' || a === '--daemon');
      const files = rest.filter((a) => a !== '-daemon' && a !== '--daemon');
      if (files.length !== 1 || files[0]?.startsWith('-')) {
        throw new UsageError('USAGE: zookeeper-server-start.sh [-daemon] zookeeper.properties');
      }
      const config = readConfig(files[0] as string);
      return daemon ? await startDaemon(config, io) : await startForeground(config, io);
    }
    if (action === 'stop') return await stop(rest, io);
    if (action === 'shell') return await shell(rest, io);
    throw new UsageError(`Unknown zookeeper action '${action}': expected start, stop or shell`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommandError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    io.stderr.write(`ERROR ${(error as Error).message}\n`);
    return 1;
  }
}
