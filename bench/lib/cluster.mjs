/**
 * A Samsa cluster on ZooKeeper for the replication scenario: packages/testkit's KafkaCluster (the
 * cluster tests' harness: Debian's ZooKeeper and one process per broker on free loopback ports)
 * and Samsa's admin client to create the replicated topic and read back where its bytes are.
 * Both are compiled packages (`npx tsc -b packages/testkit packages/client`), imported only when
 * a cluster scenario runs, so the single-broker scenarios need nothing but the broker.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

async function importDist(pkg) {
  const entry = join(repoDir, 'packages', pkg, 'dist', 'src', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} missing: run \`npx tsc -b packages/testkit packages/client\` (npm run bench does)`);
  }
  return import(pathToFileURL(entry).href);
}

/**
 * Starts ZooKeeper and `brokers` brokers. `nodeArgs(brokerId)` gives node flags (--cpu-prof) for
 * the brokers to profile; their profiles are written when stopCluster stops them cleanly.
 */
export async function startCluster({ brokers, parentDir, brokerMain, properties, nodeArgs }) {
  const { KafkaCluster } = await importDist('testkit');
  return KafkaCluster.start({
    brokers,
    parentDir,
    brokerMain,
    nodeArgs,
    properties: {
      'num.partitions': 1,
      'offsets.topic.num.partitions': 1,
      'group.initial.rebalance.delay.ms': 0,
      ...properties,
    },
  });
}

/**
 * Creates a one-partition topic and waits until its leader is elected and every replica is in the
 * ISR, so that acks=all waits for all of them from the first record. `replicas` places it as
 * another topic is (same leader, same followers: one profile, one role per broker); otherwise
 * the controller places `replicationFactor` replicas. Returns the partition's leader, replicas
 * and ISR.
 */
export async function createReplicatedTopic(bootstrap, topic, { replicationFactor, minInsyncReplicas, replicas }) {
  const { Admin } = await importDist('client');
  const admin = new Admin({ 'bootstrap.servers': bootstrap, 'request.timeout.ms': 10000 });
  try {
    await admin.createTopics([
      {
        name: topic,
        ...(replicas === undefined ? { numPartitions: 1, replicationFactor } : { assignments: { 0: replicas } }),
        configs: { 'min.insync.replicas': String(minInsyncReplicas) },
      },
    ]);
    const deadline = Date.now() + 30000;
    for (;;) {
      const partition = await describePartition(admin, topic).catch(() => undefined);
      if (partition !== undefined && partition.leader >= 0 && partition.isr.length === replicationFactor) {
        return partition;
      }
      if (Date.now() > deadline) {
        throw new Error(`${topic} not fully in sync 30 s after its creation: ${JSON.stringify(partition)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.close();
  }
}

/**
 * The partition as the cluster sees it after a run: leader, ISR, and the bytes each replica's log
 * holds (DescribeLogDirs), which shows that the followers copied everything.
 */
export async function replicaState(bootstrap, topic) {
  const { Admin } = await importDist('client');
  const admin = new Admin({ 'bootstrap.servers': bootstrap, 'request.timeout.ms': 10000 });
  try {
    const partition = await describePartition(admin, topic);
    const dirs = await admin.describeLogDirs(partition.replicas);
    const bytesByBroker = {};
    for (const d of dirs) {
      for (const p of d.partitions) if (p.topic === topic && !p.isFuture) bytesByBroker[d.broker] = Number(p.size);
    }
    return { ...partition, bytesByBroker };
  } finally {
    await admin.close();
  }
}

async function describePartition(admin, topic) {
  const [description] = await admin.describeTopics([topic]);
  const p = description?.partitions[0];
  if (p === undefined) throw new Error(`${topic} has no partition 0`);
  return { leader: p.leader, replicas: [...p.replicas], isr: [...p.isr] };
}

/**
 * Stops the cluster. `clean`: SIGTERM to every broker first (controlled shutdown, then exit), so
 * that --cpu-prof writes its profiles; whatever still runs after 30 s is killed. Otherwise
 * SIGKILL at once: the data is thrown away anyway.
 */
export async function stopCluster(cluster, { clean = false } = {}) {
  if (clean) {
    const stopped = Promise.all(cluster.brokerIds.map((id) => cluster.stop(id)));
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 30000))]);
  }
  await cluster.close();
}
