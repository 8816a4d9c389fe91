import { KafkaZkClient, silentLogger, ZkData } from '@samsa/broker';
import { Admin, type TopicDescription } from '@samsa/client';
import type { KafkaCluster } from '@samsa/testkit';

/** Polls `condition` until it returns a value (not undefined/false) or `timeoutMs` passes. */
export async function eventually<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A ZooKeeper session on the cluster's chroot, to read what the brokers wrote. */
export async function zkClient(cluster: KafkaCluster): Promise<KafkaZkClient> {
  return KafkaZkClient.connect({
    connect: cluster.zookeeperConnect,
    sessionTimeoutMs: 6000,
    connectionTimeoutMs: 5000,
    logger: silentLogger(),
  });
}

/** The id of the active controller, from `/controller`; -1 when there is none. */
export async function controllerId(zk: KafkaZkClient): Promise<number> {
  const found = await zk.getData(ZkData.ControllerZNode.path);
  return found === undefined ? -1 : ZkData.ControllerZNode.decode(found.data);
}

/** The topic as a broker's metadata describes it (through one bootstrap broker). */
export async function describeTopic(bootstrap: string, topic: string): Promise<TopicDescription | undefined> {
  const admin = new Admin({ 'bootstrap.servers': bootstrap, 'request.timeout.ms': 5000 });
  try {
    const [description] = await admin.describeTopics([topic]);
    return description;
  } catch {
    return undefined;
  } finally {
    await admin.close();
  }
}

export function bootstrapOf(cluster: KafkaCluster, brokerId: number): string {
  return `127.0.0.1:${cluster.ports.get(brokerId)}`;
}
