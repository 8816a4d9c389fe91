import { randomUUID } from 'node:crypto';
import type { Admin, PartitionAssignor } from '@samsa/client';
import { physicalTopic } from '../processor/stream-task.js';
import type { Topology } from '../processor/topology.js';
import type { StreamsConfig } from '../streams-config.js';
import { HostInfo } from './host-info.js';
import { StreamsMetadataState } from './streams-metadata-state.js';
import { StreamsPartitionAssignor } from './streams-partition-assignor.js';

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
    /** The tasks this instance holds state for, told to the leader at every join (stickiness). */
    private readonly ownedTasks: () => { active: string[]; standby: string[] },
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
    const topicsBySubtopology = new Map<number, string[]>();
    for (const sub of this.topology.subtopologies()) {
      if (sub.global === true) continue;
      topicsBySubtopology.set(
        sub.id,
        sub.sourceTopics.map((t) => physicalTopic(this.topology, this.config.applicationId, t)),
      );
    }
    const info = () => {
      const owned = this.ownedTasks();
      return {
        processId: this.processId,
        userEndPoint: this.thisHost?.endpoint(),
        prevActiveTasks: owned.active,
        prevStandbyTasks: owned.standby.filter((id) => !owned.active.includes(id)),
      };
    };
    return [new StreamsPartitionAssignor(info, topicsBySubtopology, this.config.numStandbyReplicas), 'range'];
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
