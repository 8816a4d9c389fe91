import type { AclBinding, AclBindingFilter } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { objectBody } from './topic-routes.js';

const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN', 'USER'] as const;
const PATTERN_TYPES = ['LITERAL', 'PREFIXED'] as const;
const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
] as const;
const PERMISSIONS = ['ALLOW', 'DENY'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value.toUpperCase())) {
    throw new HttpError(400, `invalid ${what} ${JSON.stringify(value)}: one of ${allowed.join(', ')}`);
  }
  return value.toUpperCase() as T;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 1000)
    throw new HttpError(400, `invalid ${what} ${JSON.stringify(value)}: a non-empty string`);
  return value;
}

/** `Type:name`, as Kafka's principals are written (User:alice, User:*). */
function principal(value: unknown): string {
  const p = text(value, 'principal');
  if (!/^[^:]+:.+$/.test(p))
    throw new HttpError(400, `invalid principal ${JSON.stringify(p)}: Type:name, e.g. User:alice`);
  return p;
}

/** A whole binding from a JSON body; every field checked before the cluster is asked. */
export function aclBinding(body: Record<string, unknown>): Required<AclBinding> {
  return {
    resourceType: oneOf(body.resourceType, RESOURCE_TYPES, 'resource type'),
    resourceName: text(body.resourceName, 'resource name'),
    patternType: oneOf(body.patternType ?? 'LITERAL', PATTERN_TYPES, 'pattern type'),
    principal: principal(body.principal),
    host: text(body.host ?? '*', 'host'),
    operation: oneOf(body.operation, OPERATIONS, 'operation'),
    permissionType: oneOf(body.permissionType, PERMISSIONS, 'permission type'),
  };
}

type Query = Partial<Record<'resourceType' | 'resourceName' | 'principal' | 'operation' | 'permissionType', string>>;

/**
 * ACL bindings: list (optionally filtered), create one, delete one exactly (the filter names every
 * field, so a delete never removes more than the binding shown).
 */
export function aclRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string }; Querystring: Query }>(
    '/api/clusters/:cluster/acls',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const q = request.query;
      const filter: { -readonly [K in keyof AclBindingFilter]: AclBindingFilter[K] } = {};
      if (q.resourceType) filter.resourceType = oneOf(q.resourceType, RESOURCE_TYPES, 'resource type');
      if (q.resourceName) filter.resourceName = q.resourceName;
      if (q.principal) filter.principal = principal(q.principal);
      if (q.operation) filter.operation = oneOf(q.operation, OPERATIONS, 'operation');
      if (q.permissionType) filter.permissionType = oneOf(q.permissionType, PERMISSIONS, 'permission type');
      const acls = await admin.describeAcls(filter);
      return { acls };
    },
  );

  app.post<{ Params: { cluster: string }; Body: unknown }>(
    '/api/clusters/:cluster/acls',
    { config: { role: 'admin' } },
    async (request, reply) => {
      const { admin } = cluster(request.params.cluster);
      const binding = aclBinding(objectBody(request.body));
      await admin.createAcls([binding]);
      reply.code(201);
      return binding;
    },
  );

  app.delete<{ Params: { cluster: string }; Body: unknown }>(
    '/api/clusters/:cluster/acls',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const binding = aclBinding(objectBody(request.body));
      const [deleted] = await admin.deleteAcls([binding]);
      return { deleted: deleted?.matchingAcls ?? [] };
    },
  );
}
