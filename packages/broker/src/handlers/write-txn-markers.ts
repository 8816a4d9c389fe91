/**
 * WriteTxnMarkers (key 27), versions 0-1: a transaction coordinator (or Admin.abortTransaction)
 * has this broker, as partition leader, append COMMIT/ABORT markers. v1: flexible.
 *
 * Each partition's marker is appended with acks=all; a marker whose coordinator epoch is older
 * than one already seen for the producer is refused (TRANSACTION_COORDINATOR_FENCED), as is one
 * with an older producer epoch.
 *
 * ACLs (KafkaApis.handleWriteTxnMarkersRequest): ALTER on the cluster (Admin.abortTransaction) or
 * CLUSTER_ACTION (brokers), else every partition answers CLUSTER_AUTHORIZATION_FAILED.
 */
import {
  ApiKey,
  ErrorCode,
  type WriteTxnMarkersRequest,
  type WriteTxnMarkersRequestWritableTxnMarker,
  type WriteTxnMarkersResponseInput,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { authorizeCluster, requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const writeTxnMarkersHandler = defineHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponseInput>({
  apiKey: ApiKey.WriteTxnMarkers,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    if (!authorizeCluster(ctx, AclOperationCode.ALTER)) requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const appender = ctx.services.txnMarkerAppender;
    const markers = await Promise.all(
      request.markers.map(async (m) => {
        const marker = {
          producerId: Number(m.producerId),
          producerEpoch: m.producerEpoch,
          result: m.transactionResult ? ('COMMIT' as const) : ('ABORT' as const),
          coordinatorEpoch: m.coordinatorEpoch,
        };
        const topics = await Promise.all(
          m.topics.map(async (t) => ({
            name: t.name,
            partitions: await Promise.all(
              t.partitionIndexes.map(async (partitionIndex) => ({
                partitionIndex,
                errorCode: await appender.append(marker, t.name, partitionIndex),
              })),
            ),
          })),
        );
        return { producerId: m.producerId, topics };
      }),
    );
    return { markers };
  },
  errorResponse(request, errorCode) {
    return { markers: request.markers.map((m) => errorResult(m, errorCode)) };
  },
});

function errorResult(m: WriteTxnMarkersRequestWritableTxnMarker, errorCode: number) {
  return {
    producerId: m.producerId,
    topics: m.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        errorCode: errorCode ?? ErrorCode.NONE,
      })),
    })),
  };
}
