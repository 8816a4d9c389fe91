import {
  AlterConfigsApi,
  ConfigSource,
  CoordinatorType,
  CreatePartitionsApi,
  CreateTopicsApi,
  configSourceName,
  DeleteGroupsApi,
  DeleteTopicsApi,
  DescribeClusterApi,
  DescribeConfigsApi,
  DescribeGroupsApi,
  DescribeLogDirsApi,
  ErrorCode,
  IncrementalAlterConfigsApi,
  ListGroupsApi,
  OffsetCommitApi,
  OffsetDeleteApi,
} from '@samsa/protocol';
import { type IsolationLevelName, isolationLevel } from '../common/isolation-level.js';
import { groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import type { AdminConfig } from '../config/client-config.js';
import { type ConfigInput, resolveConfig } from '../config/resolve-config.js';
import type { Connection } from '../connection/connection.js';
import { decodeAssignment, decodeSubscription } from '../consumer/consumer-protocol.js';
import { KafkaConnectionError, throwIfError } from '../errors/client-errors.js';
import { Cluster } from '../metadata/cluster.js';
import { findCoordinator } from '../metadata/find-coordinator.js';
import { type ListedOffset, listOffsets, type OffsetQuery, OffsetSpec } from '../metadata/list-offsets.js';
import { fetchGroupOffsets, withoutErrorCode } from '../metadata/offset-fetch.js';
import { abortTransaction } from './abort-transaction.js';
import {
  type AclBinding,
  type AclBindingDescription,
  type AclBindingFilter,
  createAcls,
  type DeletedAcls,
  deleteAcls,
  describeAcls,
} from './acls.js';
import {
  type AlterConfigOp,
  type ClusterDescription,
  type ConfigDescription,
  type ConfigResource,
  ConfigResourceType,
  type ConfigResourceTypeName,
  type CreatedTopic,
  type DeletedRecords,
  type ElectionResult,
  type ElectionTypeName,
  type GroupDescription,
  type GroupListing,
  type GroupOffset,
  type LogDirDescription,
  type NewTopic,
  type OffsetResetSpec,
  type PartitionProducers,
  type PartitionReassignment,
  type ReassignmentResult,
  type ReplicaLogDirAssignment,
  type ReplicaLogDirResult,
  type TopicDescription,
} from './admin-types.js';
import { alterReplicaLogDirs } from './alter-replica-log-dirs.js';
import {
  alterClientQuotas,
  type ClientQuotaAlteration,
  type ClientQuotaAlterationResult,
  type ClientQuotaEntry,
  type ClientQuotaFilter,
  describeClientQuotas,
} from './client-quotas.js';
import { deleteRecords } from './delete-records.js';
import { describeProducers } from './describe-producers.js';
import { describeTransactions } from './describe-transactions.js';
import { electLeaders } from './elect-leaders.js';
import { listTransactions } from './list-transactions.js';
import { alterPartitionReassignments, listPartitionReassignments } from './partition-reassignments.js';
import type {
  AbortTransactionSpec,
  ListTransactionsOptions,
  TransactionDescriptionResult,
  TransactionListing,
} from './transaction-types.js';
import {
  alterUserScramCredentials,
  describeUserScramCredentials,
  type UserScramCredentialAlteration,
  type UserScramCredentialAlterationResult,
  type UserScramCredentialsDescription,
} from './user-scram-credentials.js';

const OPS = { set: 0, delete: 1, append: 2, subtract: 3 } as const;

/** The wire code of a config resource type (GROUP is 32, as KIP-848 assigned it). */
function resourceTypeCode(type: ConfigResourceTypeName): ConfigResourceType {
  return ConfigResourceType[type.toUpperCase() as Uppercase<ConfigResourceTypeName>];
}

/** A response's resource type by name; codes this table lacks (and UNKNOWN) read as 'topic'. */
function resourceTypeName(code: number): ConfigResourceTypeName {
  const entry = Object.entries(ConfigResourceType).find(([name, v]) => v === code && name !== 'UNKNOWN');
  return (entry?.[0].toLowerCase() ?? 'topic') as ConfigResourceTypeName;
}

/**
 * Kafka admin client: topics, configs, cluster, consumer groups and their offsets, records, log
 * dirs, producers and transactions. Every call resolves with typed results or rejects with a
 * `KafkaError` carrying Kafka's error name and code (the resource named in the message).
 */
export class Admin {
  readonly config: AdminConfig;
  readonly cluster: Cluster;

  constructor(options: ConfigInput) {
    this.config = resolveConfig('admin', options) as unknown as AdminConfig;
    this.cluster = new Cluster(this.config, false);
  }

  /** The controller (for topic changes) or any broker; KRaft brokers forward to the controller anyway. */
  private async controller(): Promise<Connection> {
    if (this.cluster.controllerId < 0) await this.cluster.fetchMetadata([]);
    const id = this.cluster.controllerId;
    if (id >= 0 && this.cluster.brokers.has(id)) return this.cluster.connectionTo(id);
    return this.cluster.anyConnection();
  }

  /**
   * Runs a request on the controller's connection. The controller this client knows may have died
   * (a cluster elects another within the ZooKeeper session timeout): a connection failure refreshes
   * the metadata and tries the controller it then names, until default.api.timeout.ms, as Java's
   * AdminClient retries a call on another node.
   */
  private async onController<T>(call: (connection: Connection) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.config.defaultApiTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(await this.controller());
      } catch (err) {
        if (!(err instanceof KafkaConnectionError) || Date.now() >= deadline) throw err;
        const backoffMs = Math.min(this.config.retryBackoffMs * 2 ** attempt, 1000);
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        await this.cluster.fetchMetadata([]).catch(() => undefined);
      }
    }
  }

  private async groupCoordinator(groupId: string): Promise<{ connection: Connection; nodeId: number }> {
    const c = await findCoordinator(this.cluster, CoordinatorType.GROUP, groupId, this.config.defaultApiTimeoutMs);
    return { connection: await this.cluster.pool.get(c.host, c.port, c.nodeId), nodeId: c.nodeId };
  }

  // ---- topics ----

  async createTopics(
    topics: readonly NewTopic[],
    options: { validateOnly?: boolean; timeoutMs?: number } = {},
  ): Promise<CreatedTopic[]> {
    const response = await this.onController((connection) =>
      connection.request(CreateTopicsApi, {
        topics: topics.map((t) => ({
          name: t.name,
          numPartitions: t.assignments === undefined ? (t.numPartitions ?? -1) : -1,
          replicationFactor: t.assignments === undefined ? (t.replicationFactor ?? -1) : -1,
          assignments:
            t.assignments === undefined
              ? []
              : Object.entries(t.assignments).map(([p, brokerIds]) => ({
                  partitionIndex: Number(p),
                  brokerIds: [...brokerIds],
                })),
          configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
        timeoutMs: options.timeoutMs ?? this.config.defaultApiTimeoutMs,
        validateOnly: options.validateOnly ?? false,
      }),
    );
    const out: CreatedTopic[] = [];
    for (const t of response.topics) {
      throwIfError(t.errorCode, `create topic '${t.name}'`, t.errorMessage);
      out.push({
        name: t.name,
        topicId: t.topicId,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
      });
    }
    return out;
  }

  async deleteTopics(names: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    const response = await this.onController((connection) =>
      connection.requestVersioned(DeleteTopicsApi, (v) =>
        v >= 6
          ? { topics: names.map((name) => ({ name })), timeoutMs: options.timeoutMs ?? this.config.defaultApiTimeoutMs }
          : { topicNames: [...names], timeoutMs: options.timeoutMs ?? this.config.defaultApiTimeoutMs },
      ),
    );
    for (const r of response.response.responses) throwIfError(r.errorCode, `delete topic '${r.name}'`, r.errorMessage);
  }

  /** Topic names; internal topics (`__consumer_offsets`) only with `listInternal`. */
  async listTopics(options: { listInternal?: boolean } = {}): Promise<string[]> {
    const metadata = await this.cluster.fetchMetadata(null, false);
    return metadata.topics
      .filter((t) => t.name !== null && t.errorCode === 0 && (options.listInternal === true || !t.isInternal))
      .map((t) => t.name as string)
      .sort();
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const metadata = await this.cluster.fetchMetadata(names, false);
    return metadata.topics.map((t) => {
      throwIfError(t.errorCode, `describe topic '${t.name}'`);
      return {
        name: t.name as string,
        topicId: t.topicId,
        isInternal: t.isInternal,
        partitions: [...t.partitions]
          .sort((a, b) => a.partitionIndex - b.partitionIndex)
          .map((p) => ({
            partition: p.partitionIndex,
            leader: p.leaderId,
            leaderEpoch: p.leaderEpoch,
            replicas: p.replicaNodes,
            isr: p.isrNodes,
            offlineReplicas: p.offlineReplicas,
          })),
      };
    });
  }

  /** Grows topics to `totalCount` partitions each. */
  async createPartitions(
    requests: readonly { topic: string; totalCount: number; assignments?: readonly (readonly number[])[] }[],
    options: { validateOnly?: boolean; timeoutMs?: number } = {},
  ): Promise<void> {
    const response = await this.onController((connection) =>
      connection.request(CreatePartitionsApi, {
        topics: requests.map((r) => ({
          name: r.topic,
          count: r.totalCount,
          assignments: r.assignments === undefined ? null : r.assignments.map((ids) => ({ brokerIds: [...ids] })),
        })),
        timeoutMs: options.timeoutMs ?? this.config.defaultApiTimeoutMs,
        validateOnly: options.validateOnly ?? false,
      }),
    );
    for (const r of response.results) throwIfError(r.errorCode, `create partitions of '${r.name}'`, r.errorMessage);
  }

  // ---- configs ----

  /** Broker resources go to that broker; the rest to any broker. */
  private async connectionFor(resource: ConfigResource): Promise<Connection> {
    if ((resource.type === 'broker' || resource.type === 'broker_logger') && resource.name !== '') {
      return this.cluster.connectionTo(Number(resource.name));
    }
    return this.cluster.anyConnection();
  }

  async describeConfigs(
    resources: readonly (ConfigResource & { readonly keys?: readonly string[] })[],
    options: { includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
  ): Promise<ConfigDescription[]> {
    const out: ConfigDescription[] = [];
    for (const resource of resources) {
      const connection = await this.connectionFor(resource);
      const response = await connection.request(DescribeConfigsApi, {
        resources: [
          {
            resourceType: resourceTypeCode(resource.type),
            resourceName: resource.name,
            configurationKeys: resource.keys === undefined ? null : [...resource.keys],
          },
        ],
        includeSynonyms: options.includeSynonyms ?? false,
        includeDocumentation: options.includeDocumentation ?? false,
      });
      for (const r of response.results) {
        throwIfError(r.errorCode, `describe configs of ${resource.type} '${r.resourceName}'`, r.errorMessage);
        out.push({
          type: resourceTypeName(r.resourceType),
          name: r.resourceName,
          configs: r.configs.map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            isDefault: c.configSource === ConfigSource.DEFAULT_CONFIG || c.isDefault,
            isSensitive: c.isSensitive,
            source: configSourceName(c.configSource),
            synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: configSourceName(s.source) })),
            documentation: c.documentation,
          })),
        });
      }
    }
    return out;
  }

  /** Legacy AlterConfigs: replaces the resource's whole dynamic config with `configs`. */
  async alterConfigs(
    resources: readonly (ConfigResource & { readonly configs: Readonly<Record<string, string>> })[],
    options: { validateOnly?: boolean } = {},
  ): Promise<void> {
    for (const resource of resources) {
      const connection = await this.connectionFor(resource);
      const response = await connection.request(AlterConfigsApi, {
        resources: [
          {
            resourceType: resourceTypeCode(resource.type),
            resourceName: resource.name,
            configs: Object.entries(resource.configs).map(([name, value]) => ({ name, value })),
          },
        ],
        validateOnly: options.validateOnly ?? false,
      });
      for (const r of response.responses) {
        throwIfError(r.errorCode, `alter configs of ${resource.type} '${r.resourceName}'`, r.errorMessage);
      }
    }
  }

  /** IncrementalAlterConfigs: set, delete, append to or subtract from individual keys. */
  async incrementalAlterConfigs(
    resources: readonly (ConfigResource & { readonly ops: readonly AlterConfigOp[] })[],
    options: { validateOnly?: boolean } = {},
  ): Promise<void> {
    for (const resource of resources) {
      const connection = await this.connectionFor(resource);
      const response = await connection.request(IncrementalAlterConfigsApi, {
        resources: [
          {
            resourceType: resourceTypeCode(resource.type),
            resourceName: resource.name,
            configs: resource.ops.map((o) => ({ name: o.name, configOperation: OPS[o.op], value: o.value ?? null })),
          },
        ],
        validateOnly: options.validateOnly ?? false,
      });
      for (const r of response.responses) {
        throwIfError(r.errorCode, `alter configs of ${resource.type} '${r.resourceName}'`, r.errorMessage);
      }
    }
  }

  // ---- cluster ----

  async describeCluster(): Promise<ClusterDescription> {
    const connection = await this.cluster.anyConnection();
    const versions = connection.brokerVersions(DescribeClusterApi.apiKey);
    if (versions === undefined) {
      const metadata = await this.cluster.fetchMetadata([]);
      return {
        clusterId: metadata.clusterId ?? '',
        controllerId: metadata.controllerId,
        brokers: metadata.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
      };
    }
    const response = await connection.request(DescribeClusterApi, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    throwIfError(response.errorCode, 'describe cluster', response.errorMessage);
    return {
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      brokers: response.brokers.map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
    };
  }

  // ---- groups ----

  /** Groups of every broker (each coordinates some), optionally filtered by state or type. */
  async listGroups(options: { states?: readonly string[]; types?: readonly string[] } = {}): Promise<GroupListing[]> {
    await this.cluster.fetchMetadata([]);
    const out: GroupListing[] = [];
    for (const nodeId of this.cluster.brokers.keys()) {
      const connection = await this.cluster.connectionTo(nodeId);
      const response = await connection.request(ListGroupsApi, {
        statesFilter: [...(options.states ?? [])],
        typesFilter: [...(options.types ?? [])],
      });
      throwIfError(response.errorCode, `list groups on broker ${nodeId}`);
      for (const g of response.groups) {
        out.push({ groupId: g.groupId, protocolType: g.protocolType, state: g.groupState, type: g.groupType });
      }
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  }

  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const groupId of groupIds) {
      const { connection, nodeId } = await this.groupCoordinator(groupId);
      const response = await connection.request(DescribeGroupsApi, {
        groups: [groupId],
        includeAuthorizedOperations: false,
      });
      for (const g of response.groups) {
        throwIfError(g.errorCode, `describe group '${g.groupId}'`);
        out.push({
          groupId: g.groupId,
          state: g.groupState,
          protocolType: g.protocolType,
          protocol: g.protocolData,
          coordinator: nodeId,
          members: g.members.map((m) => {
            let topics: readonly string[] = [];
            let assignment: readonly TopicPartition[] = [];
            if (g.protocolType === 'consumer') {
              try {
                if (m.memberMetadata.length >= 2)
                  topics = decodeSubscription(m.memberId, m.groupInstanceId, m.memberMetadata).topics;
                assignment = decodeAssignment(m.memberAssignment);
              } catch {
                // Another client's private format: leave the raw bytes only.
              }
            }
            return {
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.clientHost,
              subscribedTopics: topics,
              assignment,
              memberMetadata: m.memberMetadata,
              memberAssignment: m.memberAssignment,
            };
          }),
        });
      }
    }
    return out;
  }

  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    for (const groupId of groupIds) {
      const { connection } = await this.groupCoordinator(groupId);
      const response = await connection.request(DeleteGroupsApi, { groupsNames: [groupId] });
      for (const r of response.results) throwIfError(r.errorCode, `delete group '${r.groupId}'`);
    }
  }

  /** Committed offsets of a group (all its partitions, or those of `topics`). */
  async listConsumerGroupOffsets(
    groupId: string,
    options: { partitions?: readonly TopicPartition[] } = {},
  ): Promise<GroupOffset[]> {
    const { connection } = await this.groupCoordinator(groupId);
    const fetched = await fetchGroupOffsets(connection, groupId, options.partitions ?? null, false);
    throwIfError(fetched?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR, `offsets of group '${groupId}'`);
    const out: GroupOffset[] = [];
    for (const p of fetched?.partitions ?? []) {
      throwIfError(p.errorCode, `offset of group '${groupId}' for ${p.topic}-${p.partition}`);
      out.push(withoutErrorCode(p));
    }
    return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  /** Sets a group's offsets; the group must have no active members (Kafka refuses otherwise). */
  async alterConsumerGroupOffsets(
    groupId: string,
    offsets: readonly (TopicPartition & {
      readonly offset: bigint;
      readonly leaderEpoch?: number;
      readonly metadata?: string;
    })[],
  ): Promise<void> {
    const { connection } = await this.groupCoordinator(groupId);
    const response = await connection.request(OffsetCommitApi, {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: groupByTopic(offsets).map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((p) => {
          const o = offsets.find((x) => x.topic === t.topic && x.partition === p);
          return {
            partitionIndex: p,
            committedOffset: o?.offset ?? -1n,
            committedLeaderEpoch: o?.leaderEpoch ?? -1,
            committedMetadata: o?.metadata ?? '',
          };
        }),
      })),
    });
    for (const t of response.topics) {
      for (const p of t.partitions)
        throwIfError(p.errorCode, `alter offset of group '${groupId}' for ${t.name}-${p.partitionIndex}`);
    }
  }

  async deleteConsumerGroupOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void> {
    const { connection } = await this.groupCoordinator(groupId);
    const response = await connection.request(OffsetDeleteApi, {
      groupId,
      topics: groupByTopic(partitions).map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((partitionIndex) => ({ partitionIndex })),
      })),
    });
    throwIfError(response.errorCode, `delete offsets of group '${groupId}'`);
    for (const t of response.topics) {
      for (const p of t.partitions)
        throwIfError(p.errorCode, `delete offset of group '${groupId}' for ${t.name}-${p.partitionIndex}`);
    }
  }

  /**
   * Resets a group's offsets for a topic (all partitions, or `partitions`) to the earliest or
   * latest offset, the first offset at a timestamp, or a fixed offset — what
   * `kafka-consumer-groups --reset-offsets` does. Returns the offsets written.
   */
  async resetConsumerGroupOffsets(
    groupId: string,
    topic: string,
    to: OffsetResetSpec,
    options: { partitions?: readonly number[] } = {},
  ): Promise<GroupOffset[]> {
    const partitions =
      options.partitions ?? (await this.describeTopics([topic]))[0]?.partitions.map((p) => p.partition) ?? [];
    let offsets: { partition: number; offset: bigint }[];
    if (typeof to === 'object' && 'offset' in to)
      offsets = partitions.map((partition) => ({ partition, offset: to.offset }));
    else {
      const timestamp =
        to === 'earliest'
          ? OffsetSpec.EARLIEST
          : to === 'latest'
            ? OffsetSpec.LATEST
            : BigInt((to as { timestamp: number | bigint }).timestamp);
      const listed = await this.listOffsets(partitions.map((partition) => ({ topic, partition, timestamp })));
      // No record at or after the timestamp: Kafka's tool resets to the log end.
      const ends =
        timestamp >= 0n && listed.some((l) => l.offset < 0n)
          ? await this.listOffsets(partitions.map((partition) => ({ topic, partition, timestamp: OffsetSpec.LATEST })))
          : [];
      offsets = listed.map((l) => ({
        partition: l.partition,
        offset: l.offset >= 0n ? l.offset : (ends.find((e) => e.partition === l.partition)?.offset ?? 0n),
      }));
    }
    const entries = offsets.map((o) => ({ topic, partition: o.partition, offset: o.offset }));
    await this.alterConsumerGroupOffsets(groupId, entries);
    return entries.map((e) => ({ ...e, leaderEpoch: -1, metadata: '' }));
  }

  // ---- offsets, records, log dirs, producers ----

  /** ListOffsets: `timestamp` is ms or an `OffsetSpec` (EARLIEST, LATEST, MAX_TIMESTAMP). */
  async listOffsets(
    queries: readonly OffsetQuery[],
    options: { isolationLevel?: IsolationLevelName } = {},
  ): Promise<ListedOffset[]> {
    return listOffsets(
      this.cluster,
      queries,
      isolationLevel(options.isolationLevel ?? 'read_uncommitted'),
      this.config.defaultApiTimeoutMs,
    );
  }

  /**
   * Deletes records before `offset` (-1n: the high watermark). Resolves with each partition's new
   * low watermark or its error; it rejects only when a leader cannot be reached at all.
   */
  async deleteRecords(
    requests: readonly (TopicPartition & { readonly offset: bigint })[],
    options: { timeoutMs?: number } = {},
  ): Promise<DeletedRecords[]> {
    return deleteRecords(this.cluster, requests, options.timeoutMs ?? this.config.defaultApiTimeoutMs);
  }

  /**
   * Preferred or unclean leader elections for `partitions` (null: every partition), by the
   * controller. Resolves with each partition's outcome; ELECTION_NOT_NEEDED means the leader
   * asked for already leads.
   */
  async electLeaders(
    electionType: ElectionTypeName,
    partitions: readonly TopicPartition[] | null,
    options: { timeoutMs?: number } = {},
  ): Promise<ElectionResult[]> {
    return electLeaders(this.cluster, electionType, partitions, options.timeoutMs ?? this.config.defaultApiTimeoutMs);
  }

  /**
   * Moves partitions to new replicas (KIP-455), or cancels a move in progress with `replicas`
   * null. Resolves once the controller has started the moves; `listPartitionReassignments` shows
   * those not yet complete.
   */
  async alterPartitionReassignments(
    reassignments: readonly (TopicPartition & { readonly replicas: readonly number[] | null })[],
    options: { timeoutMs?: number } = {},
  ): Promise<ReassignmentResult[]> {
    return alterPartitionReassignments(
      this.cluster,
      reassignments,
      options.timeoutMs ?? this.config.defaultApiTimeoutMs,
    );
  }

  /** Reassignments in progress among `partitions` (all if omitted). */
  async listPartitionReassignments(
    partitions: readonly TopicPartition[] | null = null,
    options: { timeoutMs?: number } = {},
  ): Promise<PartitionReassignment[]> {
    return listPartitionReassignments(this.cluster, partitions, options.timeoutMs ?? this.config.defaultApiTimeoutMs);
  }

  /**
   * Moves replicas between their brokers' log dirs (`logDir`: an absolute path as DescribeLogDirs
   * names it), each request sent to the broker holding the replica. Resolves with each replica's
   * outcome once the moves have started; DescribeLogDirs shows their progress (the future replica).
   */
  async alterReplicaLogDirs(assignments: readonly ReplicaLogDirAssignment[]): Promise<ReplicaLogDirResult[]> {
    return alterReplicaLogDirs(this.cluster, assignments);
  }

  /** Log dirs of the given brokers (all brokers if omitted), with partition sizes. */
  async describeLogDirs(brokerIds?: readonly number[]): Promise<LogDirDescription[]> {
    await this.cluster.fetchMetadata([]);
    const out: LogDirDescription[] = [];
    for (const broker of brokerIds ?? [...this.cluster.brokers.keys()]) {
      const connection = await this.cluster.connectionTo(broker);
      const response = await connection.request(DescribeLogDirsApi, { topics: null });
      throwIfError(response.errorCode, `describe log dirs of broker ${broker}`);
      for (const r of response.results) {
        out.push({
          broker,
          logDir: r.logDir,
          errorCode: r.errorCode,
          totalBytes: r.totalBytes,
          usableBytes: r.usableBytes,
          partitions: r.topics.flatMap((t) =>
            t.partitions.map((p) => ({
              topic: t.name,
              partition: p.partitionIndex,
              size: p.partitionSize,
              offsetLag: p.offsetLag,
              isFuture: p.isFutureKey,
            })),
          ),
        });
      }
    }
    return out;
  }

  /**
   * Active producers (idempotent and transactional) of partitions, from their leaders or, with
   * `brokerId`, from that broker's replicas.
   */
  async describeProducers(
    partitions: readonly TopicPartition[],
    options: { brokerId?: number } = {},
  ): Promise<PartitionProducers[]> {
    return describeProducers(this.cluster, partitions, options);
  }

  // ---- transactions ----

  /** Transactions the coordinators of every broker hold (ListTransactions), with the filters given. */
  async listTransactions(options: ListTransactionsOptions = {}): Promise<TransactionListing[]> {
    return listTransactions(this.cluster, options, this.config.defaultApiTimeoutMs);
  }

  /**
   * Transactional ids as their coordinators describe them. Resolves with each id's description or
   * its error (TRANSACTIONAL_ID_NOT_FOUND for an id no coordinator knows).
   */
  async describeTransactions(transactionalIds: readonly string[]): Promise<TransactionDescriptionResult[]> {
    return describeTransactions(this.cluster, transactionalIds, this.config.defaultApiTimeoutMs);
  }

  /**
   * Aborts a hanging transaction on one partition by writing the ABORT marker its coordinator
   * never wrote (WriteTxnMarkers to the partition's leader); find the spec with `describeProducers`.
   */
  async abortTransaction(spec: AbortTransactionSpec): Promise<void> {
    return abortTransaction(this.cluster, spec, this.config.defaultApiTimeoutMs);
  }

  // ---- SCRAM users ----

  /**
   * The SCRAM credentials (mechanism and iterations) of `users`, or of every user when omitted;
   * users without credentials are left out.
   */
  async describeUserScramCredentials(users?: readonly string[]): Promise<UserScramCredentialsDescription[]> {
    return describeUserScramCredentials(this.cluster, users);
  }

  /**
   * Adds, replaces (`{ user, mechanism, iterations, password }`) and deletes (`{ user, mechanism }`)
   * SCRAM credentials; the password is salted and hashed here and never sent. Resolves with each
   * user's outcome: all of that user's alterations were made, or none.
   */
  async alterUserScramCredentials(
    alterations: readonly UserScramCredentialAlteration[],
    options: { timeoutMs?: number } = {},
  ): Promise<UserScramCredentialAlterationResult[]> {
    return alterUserScramCredentials(this.cluster, alterations, options.timeoutMs ?? this.config.defaultApiTimeoutMs);
  }

  // ---- client quotas ----

  /**
   * The quotas (producer_byte_rate, consumer_byte_rate, request_percentage) of the user and
   * client-id entities a filter matches; `strict` leaves out entities with parts it does not name.
   */
  async describeClientQuotas(filter: ClientQuotaFilter): Promise<ClientQuotaEntry[]> {
    return describeClientQuotas(this.cluster, filter);
  }

  /**
   * Sets quotas, or removes them with a null value. Resolves with each entity's outcome (the
   * broker's KafkaError, or null); all of an entity's ops are made, or none.
   */
  async alterClientQuotas(
    alterations: readonly ClientQuotaAlteration[],
    options: { validateOnly?: boolean } = {},
  ): Promise<ClientQuotaAlterationResult[]> {
    return alterClientQuotas(this.cluster, alterations, options.validateOnly ?? false);
  }

  // ---- ACLs ----

  /**
   * Stores ACL bindings (CreateAcls). Resolves once all are stored — in effect on the broker that
   * answered at once, on the others once ZooKeeper has told them; rejects with the first refusal
   * (SECURITY_DISABLED without an authorizer, CLUSTER_AUTHORIZATION_FAILED without ALTER on the
   * cluster, INVALID_REQUEST for a binding that cannot be stored).
   */
  async createAcls(bindings: readonly AclBinding[]): Promise<void> {
    return createAcls(this.cluster, bindings);
  }

  /** The stored ACL bindings a filter matches (DescribeAcls); every binding without a filter. */
  async describeAcls(filter: AclBindingFilter = {}): Promise<AclBindingDescription[]> {
    return describeAcls(this.cluster, filter);
  }

  /** Deletes the bindings each filter matches (DeleteAcls); resolves with them, per filter. */
  async deleteAcls(filters: readonly AclBindingFilter[]): Promise<DeletedAcls[]> {
    return deleteAcls(this.cluster, filters);
  }

  async close(): Promise<void> {
    this.cluster.close();
  }
}
