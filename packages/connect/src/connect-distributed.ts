import { hostname } from 'node:os';
import { Admin } from '@samsa/client';
import { readProps, startupFailure, untilStopped } from './connect-standalone.js';
import { parseDistributedConfig } from './distributed/distributed-config.js';
import { DistributedHerder } from './distributed/distributed-herder.js';
import { ConnectRestServer } from './rest/connect-rest-server.js';
import { getLogger } from './runtime/loggers.js';
import { Plugins } from './runtime/plugins.js';

const log = getLogger('org.apache.kafka.connect.cli.ConnectDistributed');

export const DISTRIBUTED_USAGE = 'Usage: connect-distributed.sh [-daemon] connect-distributed.properties';

/** A running distributed worker: its REST server, its herder, and how to stop both. */
export interface DistributedWorker {
  readonly herder: DistributedHerder;
  readonly rest: ConnectRestServer;
  readonly workerId: string;
  stop(): Promise<void>;
}

/**
 * Starts a worker of a Connect cluster (Kafka's ConnectDistributed): reads the worker file,
 * checks the cluster is reachable, starts the REST server (its advertised address is the worker
 * ID and the URL other workers forward to), reads the config, offset and status topics
 * (creating them if missing), then joins the group `group.id` in the background.
 */
export async function startDistributed(workerFile: string): Promise<DistributedWorker> {
  const props = readProps(workerFile);
  // plugin.path first: the worker's converters may be plugins.
  const plugins = new Plugins();
  await plugins.loadPluginPath(props['plugin.path']);
  const config = parseDistributedConfig(props);
  const { worker } = config;
  const herder = new DistributedHerder(config, plugins);
  const admin = new Admin({ ...worker.producerProps, 'bootstrap.servers': worker.bootstrapServers });
  try {
    herder.kafkaClusterId = (await admin.describeCluster()).clusterId;
  } finally {
    await admin.close().catch(() => {});
  }
  const rest = await ConnectRestServer.start(herder, worker.listener.host, worker.listener.port);
  const host = worker.advertisedHost ?? (worker.listener.host === '' ? hostname() : worker.listener.host);
  const workerId = `${host}:${worker.advertisedPort ?? rest.port}`;
  log.info(`connect: REST server listening at ${rest.url}/, advertising URL http://${workerId}/`);
  try {
    await herder.start(workerId);
  } catch (error) {
    await rest.close().catch(() => {});
    throw error;
  }
  log.info(
    `connect: Kafka Connect started (worker ${workerId}, group ${config.groupId}, cluster ${herder.kafkaClusterId})`,
  );
  const stop = async () => {
    await rest.close().catch(() => {});
    await herder.stop();
  };
  return { herder, rest, workerId, stop };
}

/** `connect-distributed.sh` as a function: exit code 0 after a clean stop, 1 on bad startup. */
export async function runDistributed(args: readonly string[], signal?: AbortSignal): Promise<number> {
  const files = args.filter((a) => a !== '-daemon');
  if (files.length !== 1 || files.includes('--help') || files.includes('-h')) {
    console.error(DISTRIBUTED_USAGE);
    return 1;
  }
  let worker: DistributedWorker;
  try {
    worker = await startDistributed(files[0]!);
  } catch (error) {
    log.error(`connect: stopping after startup failed: ${startupFailure(error)}`);
    return 1;
  }
  await untilStopped(signal);
  await worker.stop();
  log.info('connect: Kafka Connect stopped');
  return 0;
}
