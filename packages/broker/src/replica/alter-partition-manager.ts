import { type AlterPartitionResponse, ApiKey, ErrorCode } from '@samsa/protocol';
import type { Logger } from '../logger.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { InterBrokerClient } from '../network/inter-broker-client.js';
import type { InterBrokerSecurity } from '../network/inter-broker-security.js';
import type { IsrChangeRequest } from './partition.js';

/** AlterPartition version leaders send: topic names, leader recovery state (v1). */
const ALTER_PARTITION_VERSION = 1;

export interface AlterPartitionManagerOptions {
  readonly brokerId: number;
  /** This broker's epoch, once registered. */
  readonly brokerEpoch: () => bigint;
  readonly metadata: MetadataCache;
  readonly listenerName: string;
  /** The inter-broker listener's TLS and SASL, for the connections this opens. */
  readonly security?: InterBrokerSecurity;
  readonly requestTimeoutMs: number;
  /** Wait after a failed round trip before trying again. */
  readonly retryBackoffMs: number;
  readonly logger: Logger;
}

/**
 * How leaders propose ISR changes to the controller (Kafka's AlterPartitionManager, KIP-497):
 * proposals are batched into one AlterPartition request at a time, sent to the controller this
 * broker's metadata names; the controller writes the new ISR to ZooKeeper (fenced by its epoch and
 * the partition's version) and answers with the committed state, which the partition then adopts.
 * Until the answer, the partition counts both ISRs (see Partition).
 *
 * This is the AlterPartition way rather than the ZooKeeper-era one (the leader writing the state
 * znode itself and a `/isr_change_notification`): one writer of partition state — the controller —
 * whose epoch check fences every write. The controller still honours notifications that others
 * write (tools of the old way).
 *
 * A refused change (the leader epoch or partition epoch moved on) is dropped: the LeaderAndIsr
 * that moved it on tells the partition the truth. A change that could not be delivered is retried.
 */
export class AlterPartitionManager {
  private queued: IsrChangeRequest[] = [];
  private sending = false;
  private client: InterBrokerClient | undefined;
  private clientFor = -1;
  private closed = false;

  constructor(private readonly options: AlterPartitionManagerOptions) {}

  submit(request: IsrChangeRequest): void {
    if (this.closed) return;
    // A newer proposal for the same partition replaces an unsent one.
    this.queued = this.queued.filter((q) => q.partition !== request.partition);
    this.queued.push(request);
    void this.sendQueued();
  }

  private async sendQueued(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queued.length > 0 && !this.closed) {
        const batch = this.queued;
        this.queued = [];
        try {
          await this.send(batch);
        } catch (err) {
          this.options.logger.warn(
            { reason: (err as Error).message },
            'AlterPartition to the controller failed; retrying',
          );
          // Keep the proposals unless newer ones replaced them meanwhile.
          this.queued = [...batch.filter((b) => !this.queued.some((q) => q.partition === b.partition)), ...this.queued];
          await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs));
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private controllerClient(): InterBrokerClient {
    const image = this.options.metadata.image;
    const controllerId = image.controllerId;
    const endpoint = image.brokers
      .get(controllerId)
      ?.endpoints.find((e) => e.listenerName === this.options.listenerName);
    if (controllerId < 0 || endpoint === undefined) throw new Error('no controller known yet');
    if (this.client === undefined || this.clientFor !== controllerId) {
      this.client?.close();
      this.client = new InterBrokerClient({
        host: endpoint.host,
        port: endpoint.port,
        clientId: `broker-${this.options.brokerId}-alter-partition`,
        requestTimeoutMs: this.options.requestTimeoutMs,
        security: this.options.security,
      });
      this.clientFor = controllerId;
    }
    return this.client;
  }

  private async send(batch: readonly IsrChangeRequest[]): Promise<void> {
    const byTopic = new Map<string, IsrChangeRequest[]>();
    for (const r of batch) {
      let list = byTopic.get(r.partition.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(r.partition.topic, list);
      }
      list.push(r);
    }
    const response = await this.controllerClient().send<AlterPartitionResponse>(
      ApiKey.AlterPartition,
      ALTER_PARTITION_VERSION,
      {
        brokerId: this.options.brokerId,
        brokerEpoch: this.options.brokerEpoch(),
        topics: [...byTopic].map(([topicName, list]) => ({
          topicName,
          partitions: list.map((r) => ({
            partitionIndex: r.partition.partition,
            leaderEpoch: r.leaderEpoch,
            newIsr: [...r.newIsr],
            leaderRecoveryState: 0,
            partitionEpoch: r.partitionEpoch,
          })),
        })),
      },
    );
    if (response.errorCode === ErrorCode.NOT_CONTROLLER || response.errorCode === ErrorCode.STALE_BROKER_EPOCH) {
      this.clientFor = -1;
      throw new Error(`controller answered error code ${response.errorCode}`);
    }
    for (const r of batch) {
      const topic = response.topics.find((t) => t.topicName === r.partition.topic);
      const result = topic?.partitions.find((p) => p.partitionIndex === r.partition.partition);
      if (response.errorCode !== ErrorCode.NONE || result === undefined || result.errorCode !== ErrorCode.NONE) {
        this.options.logger.info(
          `ISR change of ${r.partition.name} to [${r.newIsr.join(',')}] refused (error ${result?.errorCode ?? response.errorCode}); waiting for the controller's state`,
        );
        r.partition.onIsrChangeFailed();
        continue;
      }
      this.options.logger.info(
        `ISR of ${r.partition.name} updated to [${result.isr.join(',')}] (partition epoch ${result.partitionEpoch})`,
      );
      r.partition.onIsrChangeCommitted({
        leaderEpoch: result.leaderEpoch,
        isr: result.isr,
        partitionEpoch: result.partitionEpoch,
      });
    }
  }

  close(): void {
    this.closed = true;
    this.client?.close();
  }
}
