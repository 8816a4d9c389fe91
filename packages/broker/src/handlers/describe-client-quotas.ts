/**
 * DescribeClientQuotas (API key 48), versions 0-1: the quotas of the entities matching a filter
 * (KIP-546). Each component names an entity type (`user`, `client-id`) and matches a name exactly
 * (0), the default entity (1) or any entity of that type (2); `strict` leaves out entities with
 * more parts than the filter names.
 * - v1: flexible versions.
 */
import {
  ApiKey,
  type DescribeClientQuotasRequest,
  type DescribeClientQuotasResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import type { ClientQuotaEntity } from '../quota/client-quota-entity.js';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { entityData } from './client-quota-entity-data.js';
import { defineHandler } from './handler.js';

const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_ANY = 2;

export const describeClientQuotasHandler = defineHandler<
  DescribeClientQuotasRequest,
  DescribeClientQuotasResponseInput
>({
  apiKey: ApiKey.DescribeClientQuotas,
  minVersion: 0,
  maxVersion: 1,
  handle(request, ctx) {
    // Kafka requires DESCRIBE_CONFIGS on the cluster.
    requireClusterOperation(ctx, AclOperationCode.DESCRIBE_CONFIGS);
    const filters = new Map<'user' | 'clientId', (name: string | null | undefined) => boolean>();
    for (const c of request.components) {
      const part = c.entityType === 'user' ? 'user' : c.entityType === 'client-id' ? 'clientId' : undefined;
      if (part === undefined) {
        return invalid(`Custom entity type ${c.entityType} is not supported`);
      }
      if (filters.has(part)) return invalid(`Duplicate ${c.entityType} filter component entity type`);
      if (c.matchType === MATCH_EXACT) {
        if (c.match === null) return invalid(`Unknown match type ${c.matchType}: exact match needs a name`);
        filters.set(part, (name) => name === c.match);
      } else if (c.matchType === MATCH_DEFAULT) filters.set(part, (name) => name === null);
      else if (c.matchType === MATCH_ANY) filters.set(part, (name) => name !== undefined);
      else return invalid(`Unknown match type ${c.matchType}`);
    }
    const matches = (entity: ClientQuotaEntity) => {
      for (const [part, test] of filters) if (!test(entity[part])) return false;
      if (request.strict) {
        if (entity.user !== undefined && !filters.has('user')) return false;
        if (entity.clientId !== undefined && !filters.has('clientId')) return false;
      }
      return true;
    };
    const entries = [];
    for (const { entity, values } of ctx.services.clientQuotas.configs.entries()) {
      if (!matches(entity)) continue;
      entries.push({
        entity: entityData(entity),
        values: [...values].map(([key, value]) => ({ key, value })),
      });
    }
    return { errorCode: ErrorCode.NONE, errorMessage: null, entries };
  },
});

function invalid(message: string): DescribeClientQuotasResponseInput {
  return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: message, entries: null };
}
