/**
 * AddOffsetsToTxn (key 25), versions 0-4: puts the group's `__consumer_offsets` partition into
 * the producer's transaction, before TxnOffsetCommit sends the offsets to the group coordinator.
 * v1: same as v0. v2: PRODUCER_FENCED may be returned (KIP-588). v3: flexible. v4: may answer
 * TRANSACTION_ABORTABLE (KIP-890; never here).
 *
 * ACLs (KafkaApis.handleAddOffsetsToTxnRequest): WRITE on the transactional id, else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED; READ on the group, else GROUP_AUTHORIZATION_FAILED.
 */
import {
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponseInput,
  ApiKey,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { GROUP_METADATA_TOPIC_NAME } from '../metadata/cluster-image.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorize, requireGroup } from './authorization.js';
import { defineHandler } from './handler.js';
import { producerFencedFor } from './txn-error-versions.js';

export const addOffsetsToTxnHandler = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponseInput>({
  apiKey: ApiKey.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    if (!authorize(ctx, AclOperationCode.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId)) {
      throw new KafkaError(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactional Id authorization failed.');
    }
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const { groupCoordinator, transactionCoordinator } = ctx.services;
    const errorCode = await transactionCoordinator.addPartitions(
      request.transactionalId,
      Number(request.producerId),
      request.producerEpoch,
      [{ topic: GROUP_METADATA_TOPIC_NAME, partition: groupCoordinator.partitionFor(request.groupId) }],
    );
    return { throttleTimeMs: 0, errorCode: producerFencedFor(errorCode, ctx.apiVersion, 2) };
  },
});
