import { buildEndTransactionMarkerBatch, ControlRecordType, ErrorCode, KafkaError } from '@samsa/protocol';
import type { Logger } from '../../logger.js';
import { GROUP_METADATA_TOPIC_NAME } from '../../metadata/cluster-image.js';
import type { ReplicaManager } from '../../replica/replica-manager.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { TransactionResult } from './txn-marker-writer.js';

export interface TxnMarker {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly result: TransactionResult;
  readonly coordinatorEpoch: number;
}

/**
 * The partition side of ending a transaction (the append half of Kafka's
 * handleWriteTxnMarkersRequest): a partition leader appends a COMMIT or ABORT control batch for
 * the producer, with acks=all, which moves the last stable offset and, for an abort, records the
 * transaction in the segment's `.txnindex`. On `__consumer_offsets` the group coordinator then
 * makes the producer's pending offset commits visible (or drops them).
 */
export class TxnMarkerAppender {
  constructor(
    private readonly replicaManager: ReplicaManager,
    private readonly groupCoordinator: GroupCoordinator,
    /** How long the marker may wait for the in-sync replicas (Kafka uses the coordinator's request timeout). */
    private readonly replicationTimeoutMs: number,
    private readonly logger?: Logger,
  ) {}

  /** Appends the marker to `topic`-`partition`; resolves with the partition's error code. */
  async append(marker: TxnMarker, topic: string, partition: number): Promise<number> {
    const target = this.replicaManager.getPartition(topic, partition);
    if (target === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    try {
      const batch = buildEndTransactionMarkerBatch({
        marker: {
          type: marker.result === 'COMMIT' ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
          coordinatorEpoch: marker.coordinatorEpoch,
        },
        producerId: marker.producerId,
        producerEpoch: marker.producerEpoch,
      });
      const info = target.appendRecordsToLeader(batch, 'coordinator', -1);
      await target.awaitDurable(info.lastOffset);
      const errorCode = await target.awaitReplication(info.lastOffset, this.replicationTimeoutMs);
      if (errorCode !== ErrorCode.NONE) return errorCode;
    } catch (err) {
      if (err instanceof KafkaError) return err.errorCode;
      this.logger?.error({ err }, `appending a transaction marker to ${topic}-${partition} failed`);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    if (topic === GROUP_METADATA_TOPIC_NAME) {
      await this.groupCoordinator.onTransactionCompleted(
        partition,
        marker.producerId,
        marker.producerEpoch,
        marker.result,
      );
    }
    return ErrorCode.NONE;
  }
}
