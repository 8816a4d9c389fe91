#!/usr/bin/env node
// `npm start`: a broker and, beside it, the web console for it.
//   node scripts/start.mjs config/server.properties [--override key=value]... [--console-port 8080] [--no-console]
// The broker gets the properties file and the overrides, as `kafka-server-start.sh` does; the
// console is `samsa console` in a second process, pointed at the broker's first PLAINTEXT
// listener. Either process ending stops the other; SIGINT/SIGTERM stop both cleanly.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const BROKER_MAIN = join(root, 'packages', 'broker', 'dist', 'src', 'main.js');
const CLI_MAIN = join(root, 'packages', 'cli', 'dist', 'src', 'bin', 'samsa.js');
const DEFAULT_CONSOLE_PORT = 8080;

const brokerArgs = [];
let consolePort = DEFAULT_CONSOLE_PORT;
let consoleEnabled = true;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--no-console') consoleEnabled = false;
  else if (argv[i] === '--console-port') {
    consolePort = Number(argv[++i]);
    if (!Number.isInteger(consolePort) || consolePort < 0 || consolePort > 65535) {
      console.error(`Invalid value ${argv[i]} for --console-port (a port number, 0 for any free port)`);
      process.exit(1);
    }
  } else brokerArgs.push(argv[i]);
}

/** The broker's properties: the file, then the overrides (which win, as in the broker). */
function brokerProperties(args) {
  const props = new Map();
  const file = args[0] !== undefined && !args[0].startsWith('--') ? args[0] : undefined;
  if (file !== undefined) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^\s*([^#!\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
      if (match) props.set(match[1], match[2]);
    }
  }
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--override' && args[i + 1]?.includes('=')) {
      const [key, ...value] = args[++i].split('=');
      props.set(key, value.join('='));
    }
  }
  return props;
}

/**
 * The address a client on this machine uses: the first PLAINTEXT entry of `advertised.listeners`,
 * else of `listeners`. A listener bound to all interfaces is reached on localhost.
 */
function plaintextBootstrap(props) {
  for (const key of ['advertised.listeners', 'listeners']) {
    for (const entry of (props.get(key) ?? '').split(',')) {
      const match = /^PLAINTEXT:\/\/([^:]*):(\d+)$/.exec(entry.trim());
      if (match) return `${match[1] === '' || match[1] === '0.0.0.0' ? 'localhost' : match[1]}:${match[2]}`;
    }
  }
  return props.has('listeners') ? undefined : 'localhost:9092';
}

/** The port of `metrics.listener` (http://host:port), where the console reads bytes out per second. */
function metricsPort(props) {
  return /^https?:\/\/[^/]*:(\d+)\/?$/.exec(props.get('metrics.listener') ?? '')?.[1];
}

const children = new Set();
let exitCode;
let stopping = false;
function startChild(name, args) {
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    // The broker's status is the launcher's; a console that fails leaves the broker running.
    if (name === 'broker') {
      exitCode ??= code ?? (signal === null ? 1 : 128);
      for (const other of children) other.kill('SIGTERM');
    } else if (code !== 0 && signal === null && exitCode === undefined) {
      console.error(`the console exited with code ${code}; the broker keeps running`);
    }
    if (children.size === 0) process.exit(exitCode ?? 0);
  });
  return child;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  // Ctrl-C reaches every process of the terminal's group by itself: forwarding SIGINT again would
  // count as a second signal, which makes the broker exit without a clean shutdown.
  // A second SIGTERM is not forwarded either: the broker takes it for impatience.
  process.on(signal, () => {
    if (signal === 'SIGTERM' && !stopping) for (const child of children) child.kill('SIGTERM');
    stopping = true;
  });
}

startChild('broker', [BROKER_MAIN, ...brokerArgs]);
if (consoleEnabled) {
  const props = brokerProperties(brokerArgs);
  const bootstrap = plaintextBootstrap(props);
  const metrics = metricsPort(props);
  if (bootstrap === undefined) {
    console.error(
      'no console: the broker has no PLAINTEXT listener (start it with `samsa console --bootstrap-server …` and the client settings your listener needs)',
    );
  } else {
    const args = [CLI_MAIN, 'console', '--bootstrap-server', bootstrap, '--port', String(consolePort)];
    startChild('console', metrics === undefined ? args : [...args, '--metrics-port', metrics]);
  }
}
