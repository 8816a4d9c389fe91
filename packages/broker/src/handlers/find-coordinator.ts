/**
 * FindCoordinator (key 10), versions 0-6: which broker coordinates a group (key type 0) or a
 * transactional id (key type 1).
 * v0: one group key. v1: key type; throttle time and error message in the response. v2: same as
 * v1. v3: flexible. v4: batched keys (`coordinatorKeys`, KIP-699), one result per key, no error
 * message. v5: may answer TRANSACTION_ABORTABLE (KIP-890; never here). v6: share group key type 2
 * (KIP-932), not supported: INVALID_REQUEST.
 *
 * A group's coordinator is the leader of its `__consumer_offsets` partition, as this broker's
 * metadata knows it, on the listener the request came in on (on a single node, this broker once it
 * leads that partition). As in Kafka, the first lookup creates `__consumer_offsets` and, until the
 * partition has a live leader, the answer is COORDINATOR_NOT_AVAILABLE (retriable). A
 * transactional id's coordinator is found the same way in `__transaction_state`.
 *
 * ACLs (KafkaApis.getCoordinator): DESCRIBE on the GROUP key, else GROUP_AUTHORIZATION_FAILED;
 * DESCRIBE on the TRANSACTIONAL_ID key, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED; v4+ keys are
 * authorized in one call.
 */
import {
  ApiKey,
  CoordinatorType,
  ErrorCode,
  errorByCode,
  type FindCoordinatorRequest,
  type FindCoordinatorResponseInput,
} from '@samsa/protocol';
import { GROUP_METADATA_TOPIC_NAME, TRANSACTION_STATE_TOPIC_NAME } from '../metadata/cluster-image.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { ALL_AUTHORIZED, type AuthorizedNames, filterAuthorized } from './authorization.js';
import { defineHandler, type RequestContext } from './handler.js';

/** Kafka's `Node.noNode()`. */
const NO_NODE = { nodeId: -1, host: '', port: -1 } as const;

interface Coordinator {
  readonly errorCode: number;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

async function findCoordinator(
  ctx: RequestContext,
  keyType: number,
  key: string,
  describable: AuthorizedNames,
): Promise<Coordinator> {
  const { services } = ctx;
  if (keyType === CoordinatorType.GROUP) {
    if (!describable.has(key)) return { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, ...NO_NODE };
    return locate(ctx, GROUP_METADATA_TOPIC_NAME, services.groupCoordinator, key);
  }
  if (keyType === CoordinatorType.TRANSACTION) {
    if (!describable.has(key)) return { errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ...NO_NODE };
    return locate(ctx, TRANSACTION_STATE_TOPIC_NAME, services.transactionCoordinator, key);
  }
  return { errorCode: ErrorCode.INVALID_REQUEST, ...NO_NODE };
}

/** The keys the principal may DESCRIBE, as the resource the key type names. */
function describableKeys(ctx: RequestContext, keyType: number, keys: readonly string[]): AuthorizedNames {
  const resourceType =
    keyType === CoordinatorType.GROUP
      ? ResourceType.GROUP
      : keyType === CoordinatorType.TRANSACTION
        ? ResourceType.TRANSACTIONAL_ID
        : undefined;
  if (resourceType === undefined) return ALL_AUTHORIZED;
  return filterAuthorized(ctx, AclOperationCode.DESCRIBE, resourceType, keys);
}

/** The leader of the key's partition of the coordinator's internal topic (created on first use). */
async function locate(
  ctx: RequestContext,
  topic: string,
  coordinator: { partitionFor(key: string): number; partitionStatus(partition: number): string },
  key: string,
): Promise<Coordinator> {
  const { services } = ctx;
  if (services.metadata.image.topic(topic) === undefined) {
    try {
      await services.autoCreateTopic(topic);
    } catch {
      return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
    }
  }
  const partition = coordinator.partitionFor(key);
  const image = services.metadata.image;
  const leader = image.partition(topic, partition)?.leader ?? -1;
  if (leader === services.brokerId && coordinator.partitionStatus(partition) === 'none') {
    return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
  }
  const endpoint = image.brokers.get(leader)?.endpoints.find((e) => e.listenerName === ctx.listenerName);
  if (endpoint === undefined) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, ...NO_NODE };
  return { errorCode: ErrorCode.NONE, nodeId: leader, host: endpoint.host, port: endpoint.port };
}

export const findCoordinatorHandler = defineHandler<FindCoordinatorRequest, FindCoordinatorResponseInput>({
  apiKey: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    if (ctx.apiVersion >= 4) {
      const describable = describableKeys(ctx, request.keyType, request.coordinatorKeys);
      const coordinators = [];
      for (const key of request.coordinatorKeys)
        coordinators.push({ key, ...(await findCoordinator(ctx, request.keyType, key, describable)) });
      return { coordinators };
    }
    const coordinator = await findCoordinator(
      ctx,
      request.keyType,
      request.key,
      describableKeys(ctx, request.keyType, [request.key]),
    );
    if (ctx.apiVersion === 0) return coordinator;
    // Kafka sends `Errors.message()`, which on success is the error's name, "NONE".
    const errorMessage = coordinator.errorCode === ErrorCode.NONE ? 'NONE' : errorByCode(coordinator.errorCode).message;
    return { ...coordinator, errorMessage };
  },
  // v4+ answer per coordinator key.
  errorResponse: (request, errorCode) => ({
    errorCode,
    coordinators: request.coordinatorKeys.map((key) => ({ key, errorCode, ...NO_NODE })),
  }),
});
