import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Broker, type BrokerConfig, brokerConfigFromArgs, ConfigError, createLogger } from '@samsa/broker';
import { CommandError, UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';

/**
 * `samsa server start|stop`, what `kafka-server-start.sh` and `kafka-server-stop.sh` do.
 *
 * A running broker writes its pid to `<first log dir>/samsa-broker.pid` (removed at clean
 * shutdown) and registers that file under `<tmpdir>/samsa-brokers/`, so that `server stop` can
 * find it either from the broker's `server.properties` (its log dir) or, without arguments, as
 * Kafka's stop script does, by stopping every broker started on this machine. Stopping sends
 * SIGTERM, which the broker handles as a graceful shutdown: requests drained, logs flushed and the
 * clean-shutdown marker written.
 */

export const PID_FILE_NAME = 'samsa-broker.pid';
/** Where a daemonized broker's console output goes (Kafka's `logs/kafkaServer.out`). */
export const DAEMON_OUT_NAME = 'samsa-server.out';
const STOP_TIMEOUT_MS = 60_000;

export const SERVER_USAGE = [
  'USAGE: samsa server start [-daemon] [server.properties] [--override property=value]*',
  '       samsa server stop [server.properties]',
  '',
  'start: runs a broker with the given configuration (Kafka key names; --override wins over the file).',
  '       -daemon (or --daemon) runs it in the background, its output in <log.dirs>/samsa-server.out.',
  'stop:  shuts down gracefully (SIGTERM: logs flushed, clean-shutdown marker written) the broker',
  '       whose log dir the configuration names, or every broker started on this machine.',
  '',
].join('\n');

function registryDir(env: NodeJS.ProcessEnv): string {
  return env.SAMSA_BROKER_REGISTRY ?? join(tmpdir(), 'samsa-brokers');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function loadConfig(argv: readonly string[]): BrokerConfig {
  try {
    return brokerConfigFromArgs(argv);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(`ERROR ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CommandError(`ERROR ${(error as Error).message}`);
    throw error;
  }
}

async function startForeground(argv: readonly string[], io: CommandIo): Promise<number> {
  const config = loadConfig(argv);
  let broker: Broker;
  try {
    broker = await Broker.start(config, createLogger());
  } catch (error) {
    throw new CommandError(`ERROR Fatal error during broker startup: ${(error as Error).message}`);
  }
  const logDir = resolve(config.logDirs[0] as string);
  const pidFile = join(logDir, PID_FILE_NAME);
  writeFileSync(pidFile, `${process.pid}\n`);
  const registry = registryDir(io.env);
  mkdirSync(registry, { recursive: true });
  const registration = join(registry, String(process.pid));
  writeFileSync(registration, `${pidFile}\n`);
  await new Promise<void>((resolveStop) => {
    if (io.signal.aborted) resolveStop();
    else io.signal.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await broker.shutdown();
  rmSync(pidFile, { force: true });
  rmSync(registration, { force: true });
  return 0;
}

/** Re-runs this command without -daemon in a detached process and returns once it serves. */
async function startDaemon(argv: readonly string[], io: CommandIo): Promise<number> {
  const config = loadConfig(argv);
  const logDir = resolve(config.logDirs[0] as string);
  mkdirSync(logDir, { recursive: true });
  const outPath = join(logDir, DAEMON_OUT_NAME);
  const pidFile = join(logDir, PID_FILE_NAME);
  const previous = readPid(pidFile);
  if (previous !== undefined && alive(previous)) {
    throw new CommandError(`ERROR A broker (pid ${previous}) is already running on log dir ${logDir}`);
  }
  rmSync(pidFile, { force: true });
  const out = openSync(outPath, 'a');
  const entry = fileURLToPath(new URL('../bin/samsa.js', import.meta.url));
  const child = spawn(process.execPath, [entry, 'server', 'start', ...argv], {
    detached: true,
    stdio: ['ignore', out, out],
    env: io.env,
  });
  closeSync(out);
  child.unref();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (readPid(pidFile) === child.pid) {
      io.stdout.write(`Started Samsa broker in the background (pid ${child.pid}); output in ${outPath}\n`);
      return 0;
    }
    if (child.exitCode !== null || (child.pid !== undefined && !alive(child.pid))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = existsSync(outPath) ? readFileSync(outPath, 'utf8').trim().split('\n').slice(-1)[0] : '';
  throw new CommandError(
    `ERROR The broker did not start${tail === undefined || tail === '' ? '' : `: ${tail}`} (see ${outPath})`,
  );
}

async function stopPid(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline)
      throw new CommandError(`ERROR Broker (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(argv: readonly string[], io: CommandIo): Promise<number> {
  const pids = new Set<number>();
  if (argv.length > 0) {
    const config = loadConfig(argv);
    for (const dir of config.logDirs) {
      const pid = readPid(join(resolve(dir), PID_FILE_NAME));
      if (pid !== undefined && alive(pid)) pids.add(pid);
    }
  } else {
    const registry = registryDir(io.env);
    const entries = existsSync(registry) ? readdirSync(registry) : [];
    for (const name of entries) {
      const pid = Number(name);
      if (Number.isInteger(pid) && alive(pid)) pids.add(pid);
      else rmSync(join(registry, name), { force: true });
    }
  }
  if (pids.size === 0) {
    io.stdout.write('No kafka server to stop\n');
    return 1;
  }
  for (const pid of pids) await stopPid(pid);
  return 0;
}

/** `samsa server <start|stop> ...`. */
export async function runServer(argv: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = argv;
  try {
    if (action === undefined || action === '--help' || action === '-h' || action === 'help') {
      (action === undefined ? io.stderr : io.stdout).write(SERVER_USAGE);
      return action === undefined ? 1 : 0;
    }
    if (action === 'start') {
      if (rest.includes('--help')) {
        io.stdout.write(SERVER_USAGE);
        return 0;
      }
      const daemon = rest.some((a) => a === '-daemon' || a === '--daemon');
      const args = rest.filter((a) => a !== '-daemon' && a !== '--daemon');
      return daemon ? await startDaemon(args, io) : await startForeground(args, io);
    }
    if (action === 'stop') return await stop(rest, io);
    throw new UsageError(`Unknown server action '${action}': expected start or stop`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommandError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    io.stderr.write(`ERROR ${(error as Error).message}\n`);
    return 1;
  }
}
