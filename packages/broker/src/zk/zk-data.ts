/**
 * Kafka's ZooKeeper layout: every znode path and JSON encoding a ZooKeeper-mode Kafka cluster
 * uses, so that Kafka's own tools and monitors (zkCli, Burrow, Kafka Manager/CMAK) can read a
 * Samsa cluster's metadata. Written from Kafka's documented formats (`kafka.zk.ZkData`); see
 * docs/zookeeper-layout.md for the whole tree.
 *
 * Pure functions of bytes: no ZooKeeper session here.
 */
import type { Endpoint } from '../config/listeners.js';

const utf8 = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

function parse(bytes: Buffer | undefined | null, what: string): Record<string, unknown> {
  if (bytes === undefined || bytes === null || bytes.length === 0) throw new Error(`${what}: empty znode`);
  const value: unknown = JSON.parse(bytes.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what}: not a JSON object`);
  return value as Record<string, unknown>;
}

function int(value: unknown, what: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`${what}: not an integer: ${String(value)}`);
  return n;
}

function intArray(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) throw new Error(`${what}: not an array`);
  return value.map((v) => int(v, what));
}

/** `/controller`: the elected controller, ephemeral. */
export const ControllerZNode = {
  path: '/controller',
  encode: (brokerId: number, timestampMs: number): Buffer =>
    utf8({ version: 1, brokerid: brokerId, timestamp: String(timestampMs) }),
  decode: (bytes: Buffer): number => int(parse(bytes, '/controller').brokerid, '/controller brokerid'),
};

/** `/controller_epoch`: the controller epoch as a decimal string; its znode version fences writes. */
export const ControllerEpochZNode = {
  path: '/controller_epoch',
  encode: (epoch: number): Buffer => Buffer.from(String(epoch), 'utf8'),
  decode: (bytes: Buffer): number => int(bytes.toString('utf8').trim(), '/controller_epoch'),
};

export const BrokersZNode = { path: '/brokers' };
export const BrokerIdsZNode = { path: '/brokers/ids' };
export const TopicsZNode = { path: '/brokers/topics' };
/** `/brokers/seqid`: its znode version generates broker ids (broker.id.generation.enable). */
export const BrokerSequenceIdZNode = { path: '/brokers/seqid' };

/** A broker's registration, as the controller and the tools read it. */
export interface BrokerInfo {
  readonly brokerId: number;
  readonly endpoints: readonly Endpoint[];
  readonly rack: string | null;
}

/**
 * `/brokers/ids/<id>`: a live broker, ephemeral. Version 5 JSON (Kafka ≥ 2.7): a top-level host
 * and port (the first PLAINTEXT endpoint, for old tools), every endpoint as `NAME://host:port`,
 * the listener → security protocol map, rack, jmx_port -1, features {}.
 */
export const BrokerIdZNode = {
  path: (brokerId: number): string => `/brokers/ids/${brokerId}`,
  encode(info: BrokerInfo, timestampMs: number): Buffer {
    const plaintext = info.endpoints.find((e) => e.securityProtocol === 'PLAINTEXT');
    const json: Record<string, unknown> = {
      listener_security_protocol_map: Object.fromEntries(
        info.endpoints.map((e) => [e.listenerName, e.securityProtocol]),
      ),
      endpoints: info.endpoints.map((e) => `${e.listenerName}://${hostForUrl(e.host)}:${e.port}`),
      jmx_port: -1,
      features: {},
      host: plaintext?.host ?? null,
      timestamp: String(timestampMs),
      port: plaintext?.port ?? -1,
      version: 5,
    };
    if (info.rack !== null) json.rack = info.rack;
    return utf8(json);
  },
  decode(brokerId: number, bytes: Buffer): BrokerInfo {
    const json = parse(bytes, `/brokers/ids/${brokerId}`);
    const protocols = (json.listener_security_protocol_map ?? {}) as Record<string, string>;
    const urls = Array.isArray(json.endpoints) ? (json.endpoints as string[]) : [];
    const endpoints: Endpoint[] = urls.map((url) => {
      const match = /^([^:]+):\/\/\[?([^\]]*?)\]?:(\d+)$/.exec(url);
      if (match === null) throw new Error(`/brokers/ids/${brokerId}: bad endpoint ${url}`);
      const listenerName = match[1] as string;
      return {
        listenerName,
        securityProtocol: protocols[listenerName] ?? listenerName,
        host: match[2] as string,
        port: Number(match[3]),
      };
    });
    const rack = typeof json.rack === 'string' ? json.rack : null;
    return { brokerId, endpoints, rack };
  },
};

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A topic's replica assignment, with the reassignment in progress if any. */
export interface TopicAssignment {
  readonly topicId: string | null;
  /** Replicas by partition index. */
  readonly partitions: ReadonlyMap<number, readonly number[]>;
  readonly addingReplicas: ReadonlyMap<number, readonly number[]>;
  readonly removingReplicas: ReadonlyMap<number, readonly number[]>;
}

/** `/brokers/topics/<topic>`: the replica assignment (version 2 JSON, with the topic ID). */
export const TopicZNode = {
  path: (topic: string): string => `/brokers/topics/${topic}`,
  encode(assignment: TopicAssignment): Buffer {
    const byIndex = (m: ReadonlyMap<number, readonly number[]>) =>
      Object.fromEntries([...m.entries()].sort((a, b) => a[0] - b[0]).map(([p, r]) => [String(p), [...r]]));
    const json: Record<string, unknown> = {
      version: 2,
      partitions: byIndex(assignment.partitions),
      adding_replicas: byIndex(assignment.addingReplicas),
      removing_replicas: byIndex(assignment.removingReplicas),
    };
    if (assignment.topicId !== null) json.topic_id = assignment.topicId;
    return utf8(json);
  },
  decode(topic: string, bytes: Buffer): TopicAssignment {
    const json = parse(bytes, `/brokers/topics/${topic}`);
    const map = (value: unknown): Map<number, number[]> => {
      const out = new Map<number, number[]>();
      if (typeof value !== 'object' || value === null) return out;
      for (const [p, replicas] of Object.entries(value as Record<string, unknown>)) {
        out.set(int(p, `${topic} partition`), intArray(replicas, `${topic}-${p} replicas`));
      }
      return out;
    };
    return {
      topicId: typeof json.topic_id === 'string' ? json.topic_id : null,
      partitions: map(json.partitions),
      addingReplicas: map(json.adding_replicas),
      removingReplicas: map(json.removing_replicas),
    };
  },
};

export const TopicPartitionsZNode = { path: (topic: string): string => `/brokers/topics/${topic}/partitions` };
export const TopicPartitionZNode = {
  path: (topic: string, partition: number): string => `/brokers/topics/${topic}/partitions/${partition}`,
};

/** A partition's leadership as the controller decided it (`/brokers/topics/<t>/partitions/<p>/state`). */
export interface LeaderIsrAndControllerEpoch {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly controllerEpoch: number;
  /** The znode's version when read: the partition epoch, and the fence for conditional updates. */
  readonly zkVersion: number;
}

export const TopicPartitionStateZNode = {
  path: (topic: string, partition: number): string => `/brokers/topics/${topic}/partitions/${partition}/state`,
  encode: (state: Omit<LeaderIsrAndControllerEpoch, 'zkVersion'>): Buffer =>
    utf8({
      controller_epoch: state.controllerEpoch,
      leader: state.leader,
      version: 1,
      leader_epoch: state.leaderEpoch,
      isr: [...state.isr],
    }),
  decode(bytes: Buffer, zkVersion: number, where: string): LeaderIsrAndControllerEpoch {
    const json = parse(bytes, where);
    return {
      leader: int(json.leader, `${where} leader`),
      leaderEpoch: int(json.leader_epoch, `${where} leader_epoch`),
      isr: intArray(json.isr, `${where} isr`),
      controllerEpoch: int(json.controller_epoch, `${where} controller_epoch`),
      zkVersion,
    };
  },
};

/** Config entity types under `/config`; a user's entity name is its sanitized principal (sanitizer.ts). */
export const ConfigType = {
  Topic: 'topics',
  Broker: 'brokers',
  User: 'users',
  Client: 'clients',
  Group: 'groups',
} as const;
export type ConfigEntityType = (typeof ConfigType)[keyof typeof ConfigType];

/** `/config/<type>/<name>`: config overrides (`{"version":1,"config":{…}}`); broker "<default>" is cluster-wide. */
export const ConfigEntityZNode = {
  path: (type: ConfigEntityType, name: string): string => `/config/${type}/${name}`,
  encode: (config: Readonly<Record<string, string>>): Buffer => utf8({ version: 1, config }),
  decode(bytes: Buffer | undefined | null): Record<string, string> {
    if (bytes === undefined || bytes === null || bytes.length === 0) return {};
    const json = parse(bytes, 'config entity');
    const config = (json.config ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]));
  },
};

/** The broker entity name of cluster-wide dynamic broker defaults. */
export const DEFAULT_BROKER_ENTITY = '<default>';

/** `/config/changes/config_change_<seq>`: tells every broker that an entity's config changed. */
export const ConfigChangeNotificationZNode = {
  path: '/config/changes',
  prefix: 'config_change_',
  createPath: '/config/changes/config_change_',
  encode: (type: ConfigEntityType, name: string): Buffer => utf8({ version: 2, entity_path: `${type}/${name}` }),
  decode(bytes: Buffer): { type: string; name: string } {
    const json = parse(bytes, 'config change');
    const entityPath = String(json.entity_path ?? '');
    const slash = entityPath.indexOf('/');
    return { type: entityPath.slice(0, slash), name: entityPath.slice(slash + 1) };
  },
};

export const AdminZNode = { path: '/admin' };
/** `/admin/delete_topics/<topic>`: a topic queued for deletion. */
export const DeleteTopicsZNode = {
  path: '/admin/delete_topics',
  topicPath: (topic: string): string => `/admin/delete_topics/${topic}`,
};

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

const partitionsJson = (partitions: readonly TopicPartitionRef[]): Buffer =>
  utf8({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });

function decodePartitions(bytes: Buffer, where: string): TopicPartitionRef[] {
  const json = parse(bytes, where);
  if (!Array.isArray(json.partitions)) return [];
  return (json.partitions as Record<string, unknown>[]).map((p) => ({
    topic: String(p.topic),
    partition: int(p.partition, `${where} partition`),
  }));
}

/** `/admin/preferred_replica_election`: partitions whose preferred replica should lead. */
export const PreferredReplicaElectionZNode = {
  path: '/admin/preferred_replica_election',
  encode: partitionsJson,
  decode: (bytes: Buffer) => decodePartitions(bytes, '/admin/preferred_replica_election'),
};

/** `/admin/reassign_partitions`: the legacy (pre-KIP-455) reassignment request. */
export const ReassignPartitionsZNode = {
  path: '/admin/reassign_partitions',
  encode: (reassignments: readonly (TopicPartitionRef & { readonly replicas: readonly number[] })[]): Buffer =>
    utf8({
      version: 1,
      partitions: reassignments.map((r) => ({ topic: r.topic, partition: r.partition, replicas: [...r.replicas] })),
    }),
  decode(bytes: Buffer): (TopicPartitionRef & { replicas: number[] })[] {
    const json = parse(bytes, '/admin/reassign_partitions');
    if (!Array.isArray(json.partitions)) return [];
    return (json.partitions as Record<string, unknown>[]).map((p) => ({
      topic: String(p.topic),
      partition: int(p.partition, 'reassignment partition'),
      replicas: intArray(p.replicas, 'reassignment replicas'),
    }));
  },
};

/** `/isr_change_notification/isr_change_<seq>`: partitions whose ISR a leader changed. */
export const IsrChangeNotificationZNode = {
  path: '/isr_change_notification',
  prefix: 'isr_change_',
  createPath: '/isr_change_notification/isr_change_',
  encode: partitionsJson,
  decode: (bytes: Buffer) => decodePartitions(bytes, 'isr change notification'),
};

/** `/log_dir_event_notification/log_dir_event_<seq>`: a broker lost a log directory. */
export const LogDirEventNotificationZNode = {
  path: '/log_dir_event_notification',
  createPath: '/log_dir_event_notification/log_dir_event_',
  encode: (brokerId: number): Buffer => utf8({ version: 1, broker: brokerId, event: 1 }),
  decode: (bytes: Buffer): number => int(parse(bytes, 'log dir event').broker, 'log dir event broker'),
};

/** `/cluster/id`: the cluster id, created by the first broker. */
export const ClusterIdZNode = {
  path: '/cluster/id',
  encode: (id: string): Buffer => utf8({ version: '1', id }),
  decode: (bytes: Buffer): string => String(parse(bytes, '/cluster/id').id),
};

/** `/latest_producer_id_block`: the last block of producer ids handed out (ZooKeeper-era ProducerIdManager). */
export const ProducerIdBlockZNode = {
  path: '/latest_producer_id_block',
  encode: (brokerId: number, blockStart: number, blockEnd: number): Buffer =>
    utf8({ version: 1, broker: brokerId, block_start: String(blockStart), block_end: String(blockEnd) }),
  decode(bytes: Buffer): { brokerId: number; blockStart: number; blockEnd: number } {
    const json = parse(bytes, '/latest_producer_id_block');
    return {
      brokerId: int(json.broker, 'producer id block broker'),
      blockStart: int(json.block_start, 'producer id block start'),
      blockEnd: int(json.block_end, 'producer id block end'),
    };
  },
};

/** Persistent paths every broker makes sure exist at startup (Kafka's `ZkData.PersistentZkPaths`). */
export const PERSISTENT_PATHS: readonly string[] = [
  '/consumers',
  '/admin/delete_topics',
  '/brokers/ids',
  '/brokers/topics',
  '/config/changes',
  '/config/topics',
  '/config/brokers',
  '/config/clients',
  '/config/users',
  '/config/ips',
  '/isr_change_notification',
  '/latest_producer_id_block',
  '/log_dir_event_notification',
];

/** Leader id written while a topic is being deleted (Kafka's `LeaderAndIsr.LeaderDuringDelete`). */
export const LEADER_DURING_DELETE = -2;
/** No leader: the partition is offline. */
export const NO_LEADER = -1;
