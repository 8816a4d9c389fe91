import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Admin, parseProperties } from '@samsa/client';
import { ConfigException } from './config/config-def.js';
import { ConnectRestServer } from './rest/connect-rest-server.js';
import { ConnectRestException } from './runtime/connect-errors.js';
import { getLogger } from './runtime/loggers.js';
import { Plugins } from './runtime/plugins.js';
import { StandaloneHerder } from './runtime/standalone-herder.js';
import { parseWorkerConfig } from './runtime/worker-config.js';

const log = getLogger('org.apache.kafka.connect.cli.ConnectStandalone');

export const USAGE =
  'Usage: connect-standalone.sh [-daemon] connect-standalone.properties [connector1.properties connector2.json ...]';

/** A running standalone worker: its REST server, its herder, and how to stop both. */
export interface StandaloneWorker {
  readonly herder: StandaloneHerder;
  readonly rest: ConnectRestServer;
  readonly workerId: string;
  stop(): Promise<void>;
}

export function readProps(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  return Object.fromEntries(parseProperties(text));
}

/** A connector file: `.properties`, or JSON as Kafka 3.x also takes (`{name, config}` or a flat map). */
function readConnectorFile(path: string): { name: string; config: Record<string, string> } {
  let config: Record<string, string>;
  if (path.endsWith('.json')) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const raw = (typeof json.config === 'object' && json.config !== null ? json.config : json) as Record<
      string,
      unknown
    >;
    config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
    if (typeof json.name === 'string') config.name ??= json.name;
  } else config = readProps(path);
  const name = config.name;
  if (name === undefined || name.trim() === '') {
    throw new ConfigException(`${path}: Missing required configuration "name" which has no default value.`);
  }
  return { name: name.trim(), config };
}

/**
 * Starts Kafka's standalone worker: reads the worker file, checks the cluster is reachable (its
 * id is what `GET /` reports), starts the REST server, then every connector file in order. Any
 * malformed file or connector config stops startup with the offending key in the message.
 */
export async function startStandalone(
  workerFile: string,
  connectorFiles: readonly string[],
): Promise<StandaloneWorker> {
  const workerProps = readProps(workerFile);
  // plugin.path first: the worker's converters may be plugins.
  const plugins = new Plugins();
  await plugins.loadPluginPath(workerProps['plugin.path']);
  const config = parseWorkerConfig(workerProps);
  refuseExactlyOnceSource(workerProps);
  const connectors = connectorFiles.map(readConnectorFile);
  const herder = new StandaloneHerder(config, plugins);
  const admin = new Admin({ ...config.producerProps, 'bootstrap.servers': config.bootstrapServers });
  try {
    herder.kafkaClusterId = (await admin.describeCluster()).clusterId;
  } finally {
    await admin.close().catch(() => {});
  }
  const rest = await ConnectRestServer.start(herder, config.listener.host, config.listener.port);
  const host = config.advertisedHost ?? (config.listener.host === '' ? hostname() : config.listener.host);
  const workerId = `${host}:${config.advertisedPort ?? rest.port}`;
  herder.start(workerId);
  log.info(`connect: REST server listening at ${rest.url}/, advertising URL http://${workerId}/`);
  const stop = async () => {
    await rest.close().catch(() => {});
    await herder.stop();
  };
  try {
    for (const { name, config: props } of connectors) {
      const { info } = await herder.putConnectorConfig(name, props, false);
      const status = herder.status(name);
      log.info(
        `connect: created connector ${name} (${info.type}, ${status.connector.state}, ${info.tasks.length} task(s))`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log.info(`connect: Kafka Connect started (worker ${workerId}, cluster ${herder.kafkaClusterId})`);
  return { herder, rest, workerId, stop };
}

/**
 * `connect-standalone.sh` as a function: exit code 0 after a clean stop, 1 on bad startup. It
 * stops when `signal` aborts (`samsa connect-standalone` passes the CLI's SIGINT/SIGTERM signal),
 * or without one on the process's own SIGINT/SIGTERM.
 */
export async function runStandalone(args: readonly string[], signal?: AbortSignal): Promise<number> {
  const files = args.filter((a) => a !== '-daemon');
  if (files.length < 1 || files.includes('--help') || files.includes('-h')) {
    console.error(USAGE);
    return 1;
  }
  let worker: StandaloneWorker;
  try {
    worker = await startStandalone(files[0]!, files.slice(1));
  } catch (error) {
    log.error(`connect: stopping after startup failed: ${startupFailure(error)}`);
    return 1;
  }
  await untilStopped(signal);
  await worker.stop();
  log.info('connect: Kafka Connect stopped');
  return 0;
}

/** A startup failure as one line: Kafka's message for bad config, the error's name otherwise. */
export function startupFailure(error: unknown): string {
  return error instanceof ConfigException || error instanceof ConnectRestException
    ? error.message
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
}

/**
 * Resolves when `signal` aborts (`samsa connect-*` passes the CLI's SIGINT/SIGTERM signal), or
 * without one on the process's own SIGINT/SIGTERM.
 */
export async function untilStopped(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    if (signal !== undefined) {
      const onAbort = () => {
        log.info(`connect: ${String((signal.reason as Error | undefined)?.message ?? 'stop')} received, stopping`);
        resolve();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      return;
    }
    const onSignal = (name: string) => {
      log.info(`connect: ${name} received, stopping`);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * Exactly-once source support (KIP-618) needs the offset topic and the group's fencing, which
 * only distributed mode has: a standalone worker asked for it stops instead of silently giving
 * at-least-once.
 */
function refuseExactlyOnceSource(props: Readonly<Record<string, string>>): void {
  const value = props['exactly.once.source.support'];
  if (value === undefined || value.trim().toLowerCase() === 'disabled') return;
  throw new ConfigException(
    'exactly.once.source.support',
    value,
    'exactly-once source support is only available in distributed mode; standalone workers accept only disabled',
  );
}
