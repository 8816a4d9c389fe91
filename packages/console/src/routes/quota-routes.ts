import type { ClientQuotaEntity } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { objectBody } from './topic-routes.js';

const QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const;

/** An entity part: a name, null for the type's default entity, absent when not part of it. */
function part(value: unknown, what: string): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value === '' || value.length > 1000)
    throw new HttpError(400, `invalid ${what} ${JSON.stringify(value)}: a name, or null for the default`);
  return value;
}

function entityOf(value: unknown): ClientQuotaEntity {
  const body = objectBody(value);
  const entity: { user?: string | null; clientId?: string | null } = {};
  if ('user' in body) entity.user = part(body.user, 'user') ?? null;
  if ('clientId' in body) entity.clientId = part(body.clientId, 'client id') ?? null;
  if (!('user' in entity) && !('clientId' in entity))
    throw new HttpError(400, 'entity needs a user, a clientId or both (null: the default entity)');
  return entity;
}

/** Client quotas of user and client-id entities: list all, set or remove (null) values of one. */
export function quotaRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/quotas',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      return { quotas: await admin.describeClientQuotas({ components: [] }) };
    },
  );

  app.put<{ Params: { cluster: string }; Body: unknown }>(
    '/api/clusters/:cluster/quotas',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const body = objectBody(request.body);
      const entity = entityOf(body.entity);
      const values = objectBody(body.values);
      const ops = Object.entries(values).map(([key, value]) => {
        if (!(QUOTA_KEYS as readonly string[]).includes(key))
          throw new HttpError(400, `invalid quota '${key}': one of ${QUOTA_KEYS.join(', ')}`);
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0))
          throw new HttpError(
            400,
            `invalid value of ${key} ${JSON.stringify(value)}: a positive number, or null to remove`,
          );
        return { key, value: value as number | null };
      });
      if (ops.length === 0) throw new HttpError(400, 'no quota values given');
      const [result] = await admin.alterClientQuotas([{ entity, ops }]);
      if (result?.error) throw result.error;
      return { entity, values };
    },
  );
}
