/**
 * AlterUserScramCredentials (key 51), version 0 (KIP-554): adds, replaces and deletes users' SCRAM
 * credentials; the client sends a salt and the salted password, never the password.
 *
 * Kafka in ZooKeeper mode serves it on the active controller only (NOT_CONTROLLER elsewhere);
 * here any broker serves it, writing ZooKeeper conditionally so that concurrent alterations on
 * different brokers cannot lose one another. Clients still send it to the controller, as Java's
 * Admin does.
 */
import {
  type AlterUserScramCredentialsRequest,
  type AlterUserScramCredentialsResponseInput,
  ApiKey,
  ErrorCode,
} from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { alterUserScramCredentials } from '../security/scram-credential-admin.js';
import { authorizeCluster } from './authorization.js';
import { defineHandler } from './handler.js';

export const alterUserScramCredentialsHandler = defineHandler<
  AlterUserScramCredentialsRequest,
  AlterUserScramCredentialsResponseInput
>({
  apiKey: ApiKey.AlterUserScramCredentials,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    // Kafka requires ALTER on the cluster; every user is answered with the refusal.
    if (!authorizeCluster(ctx, AclOperationCode.ALTER)) {
      return everyUserFailed(request, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    }
    return {
      throttleTimeMs: 0,
      results: await alterUserScramCredentials(ctx.services.scramCredentials, request, ctx.services.logger),
    };
  },
  errorResponse: (request, errorCode) => everyUserFailed(request, errorCode),
});

/** Kafka's getErrorResponse: the error on every user the request names, once each, sorted. */
export function everyUserFailed(
  request: AlterUserScramCredentialsRequest,
  errorCode: number,
): AlterUserScramCredentialsResponseInput {
  const users = [...new Set([...request.deletions, ...request.upsertions].map((a) => a.name))].sort();
  return { throttleTimeMs: 0, results: users.map((user) => ({ user, errorCode, errorMessage: null })) };
}
