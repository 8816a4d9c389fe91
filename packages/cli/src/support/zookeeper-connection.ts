import { KafkaZkClient, silentLogger, splitConnectString, ZkConnectionTimeoutError } from '@samsa/broker';
import { connectTimeoutMs } from './broker-connection.js';
import { UsageError } from './command-errors.js';

/** Kafka's tools open their ZooKeeper sessions with a 30 s session timeout. */
const SESSION_TIMEOUT_MS = 30_000;
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[^\s/,:[\]]+)(?::\d+)?$/;

/**
 * `--zookeeper host:port[,host:port…][/chroot]`, checked: hosts with optional ports (ZooKeeper's
 * default, 2181, otherwise) and an optional chroot.
 */
export function validateZooKeeperConnect(value: string | undefined): string {
  const { hosts, chroot } = splitConnectString((value ?? '').trim());
  const entries = hosts.split(',').map((h) => h.trim());
  if (hosts === '' || entries.some((e) => !HOST_PORT.test(e))) {
    throw new UsageError(
      `Invalid --zookeeper connection string '${value ?? ''}': expected host:port[,host:port...][/chroot]`,
    );
  }
  return `${entries.join(',')}${chroot}`;
}

/**
 * A ZooKeeper session for a tool, opened as Kafka's tools open theirs, failing with one line when
 * no server answers within the connect timeout (`SAMSA_CONNECT_TIMEOUT_MS`, 5 s by default; Kafka
 * waits 30 s).
 *
 * A chroot must exist already: every broker of a cluster creates it at startup, so a missing one
 * is a mistyped path, and the tools should not create it as a side effect of a read.
 */
export async function connectZooKeeper(value: string | undefined, env: NodeJS.ProcessEnv): Promise<KafkaZkClient> {
  const connect = validateZooKeeperConnect(value);
  const { hosts, chroot } = splitConnectString(connect);
  const timeoutMs = connectTimeoutMs(env);
  const open = async (target: string) => {
    try {
      return await KafkaZkClient.connect({
        connect: target,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        connectionTimeoutMs: timeoutMs,
        logger: silentLogger(),
      });
    } catch (error) {
      if (error instanceof ZkConnectionTimeoutError) {
        throw new Error(`${error.message}. Is ZooKeeper running? Check --zookeeper.`);
      }
      throw error;
    }
  };
  if (chroot !== '') {
    const root = await open(hosts);
    try {
      if ((await root.exists(chroot)) === undefined) {
        throw new Error(`The chroot ${chroot} of --zookeeper ${connect} does not exist in ZooKeeper`);
      }
    } finally {
      root.close();
    }
  }
  return open(connect);
}
