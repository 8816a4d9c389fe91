import { randomUUID } from 'node:crypto';
import type { Admin, PartitionAssignor, TopicPartition } from '@samsa/client';
import { changelogTopic, physicalTopic } from '../processor/stream-task.js';
import type { Topology } from '../processor/topology.js';
import type { StreamsConfig } from '../streams-config.js';
import { HostInfo } from './host-info.js';
import { StreamsMetadataState } from './streams-metadata-state.js';
import { StreamsPartitionAssignor } from './streams-partition-assignor.js';
import type { AssignmentInfo } from './streams-user-data.js';

/** What the group protocol needs of the instance, beyond its configuration. */
export interface GroupProtocolHooks {
  /** The state this instance holds, told to the leader at every join (KIP-441 task offset sums). */
  taskOffsetSums(): ReadonlyMap<string, bigint>;
  /** The leader's view of the changelogs' ends, by `topic:partition`. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<ReadonlyMap<string, bigint>>;
  /** This instance's assignment info after each rebalance (standbys, probing rebalance time). */
  onAssignmentInfo(info: AssignmentInfo): void;
}

/**
 * What `KafkaStreams` needs to place tasks and answer interactive queries across instances:
 * this instance's `application.server` (validated at construction, as Java's config), the group
 * protocol `stream` that carries it with the tasks this instance holds state for, and the
 * metadata (hosts, their active and standby tasks) re-read after each rebalance.
 */
export class InteractiveQueryMetadata {
  readonly processId = randomUUID();
  readonly thisHost: HostInfo | undefined;
  readonly state: StreamsMetadataState;

  constructor(
    private readonly topology: Topology,
    private readonly config: StreamsConfig,
    partitionCount: (topic: string) => number | undefined,
    private readonly hooks: GroupProtocolHooks,
  ) {
    this.thisHost = HostInfo.buildFromEndpoint(config.applicationServer);
    this.state = new StreamsMetadataState(
      topology,
      config.applicationId,
      this.thisHost,
      this.processId,
      partitionCount,
    );
  }

  /**
   * `stream` first; `range` too, so that a group still holding instances of an older Samsa
   * (range only) keeps working — on `range` nobody's endpoint is known until they are gone.
   */
  assignors(): (PartitionAssignor | string)[] {
    const { applicationId } = this.config;
    const topicsBySubtopology = new Map<number, string[]>();
    const changelogsBySubtopology = new Map<number, string[]>();
    for (const sub of this.topology.subtopologies()) {
      if (sub.global === true) continue;
      topicsBySubtopology.set(
        sub.id,
        sub.sourceTopics.map((t) => physicalTopic(this.topology, applicationId, t)),
      );
      // Only persistent logged stores outlive their task here (standbys and warm-ups keep them):
      // tasks with in-memory stores alone are placed as stateless ones and restore in full.
      const persistent = sub.stores.filter((name) => {
        const builder = this.topology.storeBuilder(name);
        return builder?.loggingEnabled() === true && builder.supplier.get().isPersistent;
      });
      changelogsBySubtopology.set(
        sub.id,
        persistent.map((name) => changelogTopic(applicationId, name)),
      );
    }
    const assignor = new StreamsPartitionAssignor({
      info: () => ({
        processId: this.processId,
        userEndPoint: this.thisHost?.endpoint(),
        taskOffsetSums: this.hooks.taskOffsetSums(),
      }),
      topicsBySubtopology,
      changelogsBySubtopology,
      numStandbyReplicas: this.config.numStandbyReplicas,
      acceptableRecoveryLag: this.config.acceptableRecoveryLag,
      maxWarmupReplicas: this.config.maxWarmupReplicas,
      probingRebalanceIntervalMs: this.config.probingRebalanceIntervalMs,
      endOffsets: (partitions) => this.hooks.endOffsets(partitions),
      onAssignmentInfo: (info) => this.hooks.onAssignmentInfo(info),
    });
    return [assignor, 'range'];
  }

  /** After a rebalance. A failure keeps the previous metadata: queries are a hint, processing goes on. */
  async refresh(admin: Admin): Promise<void> {
    try {
      await this.state.refresh(admin);
    } catch (error) {
      console.warn(
        `[samsa-streams] could not refresh the metadata of interactive queries: ${(error as Error).message}`,
      );
    }
  }
}
