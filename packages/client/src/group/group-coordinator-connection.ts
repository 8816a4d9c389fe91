import { CoordinatorType } from '@samsa/protocol';
import type { Connection } from '../connection/connection.js';
import type { Cluster } from '../metadata/cluster.js';
import { type CoordinatorInfo, findCoordinator } from '../metadata/find-coordinator.js';

/**
 * The connection to a group's coordinator: found with FindCoordinator on first use and kept until
 * a request says it moved (`markUnknown`) or connecting to it fails.
 */
export class GroupCoordinatorConnection {
  private coordinator: CoordinatorInfo | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly groupId: string,
  ) {}

  async get(signal?: AbortSignal): Promise<Connection> {
    if (this.coordinator === undefined) {
      this.coordinator = await findCoordinator(
        this.cluster,
        CoordinatorType.GROUP,
        this.groupId,
        this.cluster.config.defaultApiTimeoutMs,
        signal,
      );
    }
    const c = this.coordinator;
    try {
      return await this.cluster.pool.get(c.host, c.port, c.nodeId, signal, 'coordinator');
    } catch (error) {
      this.coordinator = undefined;
      throw error;
    }
  }

  markUnknown(): void {
    this.coordinator = undefined;
  }
}
