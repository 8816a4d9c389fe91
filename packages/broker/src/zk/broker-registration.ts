import type { Logger } from '../logger.js';
import { isZkError, type KafkaZkClient, ZkCode } from './kafka-zk-client.js';
import { BrokerIdZNode, type BrokerInfo, ClusterIdZNode } from './zk-data.js';

/**
 * This broker's registration, the ephemeral `/brokers/ids/<id>`: the controller's view of who is
 * alive. Its czxid is the broker epoch (KIP-380), which fences the controller's requests meant
 * for an earlier incarnation of this broker.
 *
 * A registration left by this broker id's previous session (a kill -9 moments ago) lingers until
 * ZooKeeper expires that session; registration waits for it to go, up to two session timeouts
 * (ZooKeeper expires a session on its own clock, and a busy server, slow to sync its log, closes
 * it late: 4 s sessions were seen to linger over 10 s on a loaded 2-core machine). One that
 * outlives that wait belongs to a live broker with the same id, and startup fails with Kafka's
 * message. (Kafka itself fails at once in both cases.)
 */
export class ZkBrokerRegistration {
  /** The broker epoch: the czxid of the current registration; -1 before the first. */
  epoch = -1n;

  constructor(
    private readonly zk: KafkaZkClient,
    private info: BrokerInfo,
    private readonly sessionTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** Registers with new advertised endpoints (the ports actually bound). */
  update(info: BrokerInfo): void {
    this.info = info;
  }

  async register(): Promise<void> {
    const path = BrokerIdZNode.path(this.info.brokerId);
    const deadline = Date.now() + 2 * this.sessionTimeoutMs + 2000;
    let waited = false;
    for (;;) {
      try {
        await this.zk.create(path, BrokerIdZNode.encode(this.info, Date.now()), 'ephemeral');
        break;
      } catch (err) {
        // A lost connection leaves the create's outcome unknown: the ownership check below tells.
        const unknownOutcome = isZkError(err, ZkCode.CONNECTION_LOSS) || isZkError(err, ZkCode.OPERATION_TIMEOUT);
        if (!isZkError(err, ZkCode.NODE_EXISTS) && !unknownOutcome) throw err;
      }
      const existing = await this.zk.exists(path);
      if (existing === undefined) continue;
      if (existing.ephemeralOwner === this.zk.sessionId) break;
      if (Date.now() >= deadline) {
        throw new Error(
          `Error while creating ephemeral at ${path}, node already exists and owner '${existing.ephemeralOwner}' does not match current session '${this.zk.sessionId}'. ` +
            `Another broker is registered with broker.id=${this.info.brokerId}; broker ids must be unique in a cluster.`,
        );
      }
      if (!waited) {
        this.logger.warn(
          `${path} exists from another session; waiting up to ${Math.round((deadline - Date.now()) / 1000)} s for it to expire (a previous run of this broker?)`,
        );
        waited = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const stat = await this.zk.exists(path);
    this.epoch = stat?.czxid ?? -1n;
    this.logger.info(
      `Registered broker ${this.info.brokerId} at path ${path} with addresses: ${this.info.endpoints.map((e) => `${e.listenerName}://${e.host}:${e.port}`).join(',')}, czxid (broker epoch): ${this.epoch}`,
    );
  }

  async deregister(): Promise<void> {
    await this.zk.delete(BrokerIdZNode.path(this.info.brokerId)).catch(() => undefined);
  }
}

/** The cluster id stored in `/cluster/id`, created by the first broker (Kafka's getOrGenerateClusterId). */
export async function getOrCreateClusterId(zk: KafkaZkClient, proposed: string): Promise<string> {
  const found = await zk.getData(ClusterIdZNode.path);
  if (found !== undefined) return ClusterIdZNode.decode(found.data);
  try {
    await zk.createRecursive('/cluster');
    await zk.create(ClusterIdZNode.path, ClusterIdZNode.encode(proposed), 'persistent');
    return proposed;
  } catch (err) {
    if (!isZkError(err, ZkCode.NODE_EXISTS)) throw err;
    const winner = await zk.getData(ClusterIdZNode.path);
    if (winner === undefined) throw err;
    return ClusterIdZNode.decode(winner.data);
  }
}
