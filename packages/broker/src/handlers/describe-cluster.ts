/**
 * DescribeCluster (key 60), versions 0-1.
 * v1: endpoint type (1 = brokers, 2 = controllers; Samsa's brokers are also its controller).
 *
 * ACLs (AuthHelper.computeDescribeClusterResponse): none to describe the cluster; its authorized
 * operations (KIP-430), when asked for, are the authorizer's with DESCRIBE on the cluster, else 0.
 */
import { ApiKey, type DescribeClusterRequest, type DescribeClusterResponseInput, ErrorCode } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { authorizeCluster } from './authorization.js';
import { AUTHORIZED_OPERATIONS_OMITTED, authorizedClusterOperations } from './authorized-operations.js';
import { defineHandler } from './handler.js';

const BROKERS_ENDPOINT = 1;

export const describeClusterHandler = defineHandler<DescribeClusterRequest, DescribeClusterResponseInput>({
  apiKey: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  handle(request, ctx) {
    const image = ctx.services.metadata.image;
    if (request.endpointType !== BROKERS_ENDPOINT) {
      return {
        errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
        errorMessage: 'Only broker endpoints are described',
        clusterId: image.clusterId,
      };
    }
    const brokers = [...image.brokers.values()].flatMap((b) => {
      const e = b.endpoints.find((x) => x.listenerName === ctx.listenerName);
      return e === undefined ? [] : [{ brokerId: b.brokerId, host: e.host, port: e.port, rack: b.rack }];
    });
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: BROKERS_ENDPOINT,
      clusterId: image.clusterId,
      controllerId: image.controllerId,
      brokers,
      clusterAuthorizedOperations: !request.includeClusterAuthorizedOperations
        ? AUTHORIZED_OPERATIONS_OMITTED
        : authorizeCluster(ctx, AclOperationCode.DESCRIBE)
          ? authorizedClusterOperations(ctx)
          : 0,
    };
  },
});
