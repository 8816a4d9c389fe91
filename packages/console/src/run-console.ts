import { checkHost, serverOptionsFromConfigFile } from './config/cluster-list.js';
import { ConsoleServer, type ConsoleServerOptions } from './console-server.js';
import { runHashPassword } from './hash-password-command.js';

export const CONSOLE_USAGE = [
  'USAGE: samsa console --bootstrap-server host:port [--port 8080] [--host 127.0.0.1] [--cluster-name local] [--metrics-port 9404] [--connect-url http://localhost:8083]',
  '       samsa console --config console.yaml [--port 8080] [--host 127.0.0.1]   (several clusters)',
  '',
  'Serves the web console for one cluster, reached through the Kafka protocol only (so any',
  'Kafka-compatible cluster, Apache Kafka included). Open http://host:port/ in a browser.',
  'Without users (a --config file with users: login, roles, read-only, audit log) the console',
  "has no login and listens on loopback only. --metrics-port: the brokers' Prometheus port",
  '(metrics.listener), where bytes out per second is read. --connect-url: a Kafka Connect REST',
  "address, shown as the cluster's Connect (a config file lists several: clusters[].connect).",
  '',
  'samsa console hash-password < file   prints the scrypt hash of the password on stdin',
  '',
].join('\n');

export interface ConsoleIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin?: NodeJS.ReadableStream;
}

/** `samsa console …`: parses the flags, starts the server and resolves once it is stopped (SIGINT/SIGTERM). */
export async function runConsole(argv: readonly string[], io: ConsoleIo): Promise<number> {
  if (argv[0] === 'hash-password') return runHashPassword(argv.slice(1), io);
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      io.stdout.write(CONSOLE_USAGE);
      return 0;
    }
    const value = argv[i + 1];
    if (
      ![
        '--bootstrap-server',
        '--config',
        '--port',
        '--host',
        '--cluster-name',
        '--metrics-port',
        '--connect-url',
      ].includes(arg) ||
      value === undefined
    ) {
      io.stderr.write(
        `${value === undefined && arg.startsWith('--') ? `Missing value for ${arg}` : `Unknown option ${arg}`}\n${CONSOLE_USAGE}`,
      );
      return 1;
    }
    flags.set(arg, value);
    i++;
  }
  const bootstrapServers = flags.get('--bootstrap-server');
  const port = Number(flags.get('--port') ?? 8080);
  const configFile = flags.get('--config');
  if (
    (bootstrapServers === undefined) === (configFile === undefined) ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535
  ) {
    io.stderr.write(`Give one of --bootstrap-server or --config, and a valid --port\n${CONSOLE_USAGE}`);
    return 1;
  }
  const host = flags.get('--host') ?? '127.0.0.1';
  const metricsPortFlag = flags.get('--metrics-port');
  const metricsPort = metricsPortFlag === undefined ? undefined : Number(metricsPortFlag);
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 1 || metricsPort > 65535)) {
    io.stderr.write(`Invalid value ${metricsPortFlag} for --metrics-port (a port number)\n${CONSOLE_USAGE}`);
    return 1;
  }
  if (metricsPort !== undefined && configFile !== undefined) {
    io.stderr.write(`--metrics-port goes with --bootstrap-server; in a config file it is clusters[].metricsPort\n`);
    return 1;
  }
  const connectUrl = flags.get('--connect-url');
  if (connectUrl !== undefined && (configFile !== undefined || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(connectUrl))) {
    io.stderr.write(
      `--connect-url ${connectUrl}: an http(s) URL, with --bootstrap-server (in a config file: clusters[].connect)\n`,
    );
    return 1;
  }
  let settings: Omit<ConsoleServerOptions, 'port' | 'host'>;
  try {
    settings =
      configFile === undefined
        ? {
            clusters: [
              {
                name: flags.get('--cluster-name') ?? 'local',
                bootstrapServers: bootstrapServers as string,
                ...(metricsPort === undefined ? {} : { metricsPort }),
                ...(connectUrl === undefined ? {} : { connect: [{ name: 'connect', url: connectUrl }] }),
              },
            ],
          }
        : await serverOptionsFromConfigFile(configFile);
    checkHost(host, (settings.users ?? []).length > 0);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  const server = await ConsoleServer.start({ ...settings, port, host });
  const users = settings.users ?? [];
  io.stdout.write(
    `Samsa console for ${settings.clusters.map((c) => `${c.name} (${c.bootstrapServers})`).join(', ')} listening on http://${host}:${server.port}/` +
      ` (${users.length === 0 ? 'no login' : `login, ${users.length} users`}${settings.readOnly === true ? ', read-only' : ''})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
