/**
 * AlterClientQuotas (API key 49), versions 0-1: sets or removes `producer_byte_rate`,
 * `consumer_byte_rate` and `request_percentage` of users, client ids and their defaults (KIP-546),
 * as `kafka-configs.sh --alter --entity-type users|clients` does. Each entity is answered on its own.
 * - v1: flexible versions.
 */
import { type AlterClientQuotasRequest, type AlterClientQuotasResponseInput, ApiKey, ErrorCode } from '@samsa/protocol';
import { isQuotaKey, type QuotaKey } from '../quota/client-quota-entity.js';
import { AclOperationCode } from '../security/authorizer.js';
import { authorizeCluster } from './authorization.js';
import { entityFromData } from './client-quota-entity-data.js';
import { defineHandler } from './handler.js';

export const alterClientQuotasHandler = defineHandler<AlterClientQuotasRequest, AlterClientQuotasResponseInput>({
  apiKey: ApiKey.AlterClientQuotas,
  minVersion: 0,
  maxVersion: 1,
  errorResponse: (request, errorCode) => ({
    entries: request.entries.map((e) => ({ errorCode, errorMessage: null, entity: [...e.entity] })),
  }),
  async handle(request, ctx) {
    const store = ctx.services.clientQuotas;
    // Kafka requires ALTER_CONFIGS on the cluster; every entity is answered with the refusal.
    const allowed = authorizeCluster(ctx, AclOperationCode.ALTER_CONFIGS);
    const entries = [];
    for (const entry of request.entries) {
      const answer = (errorCode: number, errorMessage: string | null) => ({
        errorCode,
        errorMessage,
        entity: entry.entity.map((e) => ({ entityType: e.entityType, entityName: e.entityName })),
      });
      if (!allowed) {
        entries.push(answer(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null));
        continue;
      }
      const entity = entityFromData(entry.entity);
      if (typeof entity === 'string') {
        entries.push(answer(ErrorCode.INVALID_REQUEST, entity));
        continue;
      }
      const values = new Map<QuotaKey, number>(store.configs.get(entity));
      let problem: string | undefined;
      for (const op of entry.ops) {
        if (!isQuotaKey(op.key)) {
          problem = `Invalid configuration key ${op.key}`;
          break;
        }
        if (op.remove) values.delete(op.key);
        else if (!(op.value > 0) || (op.key !== 'request_percentage' && !Number.isInteger(op.value))) {
          problem = `Invalid value ${op.value} for configuration ${op.key}: ${op.key === 'request_percentage' ? 'must be positive' : 'must be a positive whole number of bytes per second'}`;
          break;
        } else values.set(op.key, op.value);
      }
      if (problem !== undefined) {
        entries.push(answer(ErrorCode.INVALID_REQUEST, problem));
        continue;
      }
      if (!request.validateOnly) await store.alter(entity, values);
      entries.push(answer(ErrorCode.NONE, null));
    }
    return { entries };
  },
});
