/**
 * DescribeUserScramCredentials (key 50), version 0 (KIP-554): the SCRAM mechanisms and iteration
 * counts of users (every user when `users` is null or empty) — never salts or keys. Served by any
 * broker, from where the credentials are stored (ZooKeeper, or the single node's metadata file).
 */
import {
  ApiKey,
  type DescribeUserScramCredentialsRequest,
  type DescribeUserScramCredentialsResponseInput,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { describeUserScramCredentials } from '../security/scram-credential-admin.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const describeUserScramCredentialsHandler = defineHandler<
  DescribeUserScramCredentialsRequest,
  DescribeUserScramCredentialsResponseInput
>({
  apiKey: ApiKey.DescribeUserScramCredentials,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    // Kafka requires DESCRIBE on the cluster: CLUSTER_AUTHORIZATION_FAILED at the top, no results.
    requireClusterOperation(ctx, AclOperationCode.DESCRIBE);
    return describeUserScramCredentials(
      ctx.services.scramCredentials,
      request.users?.map((u) => u.name) ?? null,
      ctx.services.logger,
    );
  },
});
