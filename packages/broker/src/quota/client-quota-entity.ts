/**
 * A client quota entity (KIP-55/KIP-546): a user, a client id, or both; a null name is the
 * entity type's default (`--entity-default`). `user` undefined: the entity has no user part.
 */
export interface ClientQuotaEntity {
  readonly user?: string | null;
  readonly clientId?: string | null;
}

export const QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

export function isQuotaKey(key: string): key is QuotaKey {
  return (QUOTA_KEYS as readonly string[]).includes(key);
}

/** ZooKeeper's sanitized default name. */
export const DEFAULT_ENTITY_NAME = '<default>';

/**
 * The entity's path under `/config` as Kafka's ZooKeeper layout names it: `users/alice`,
 * `clients/app`, `users/alice/clients/app`, `users/<default>/clients/<default>`. Names are
 * URL-encoded as Kafka's Sanitizer does.
 */
export function entityPath(entity: ClientQuotaEntity): string {
  const name = (n: string | null) => (n === null ? DEFAULT_ENTITY_NAME : encodeURIComponent(n).replace(/\*/g, '%2A'));
  const parts: string[] = [];
  if (entity.user !== undefined) parts.push(`users/${name(entity.user)}`);
  if (entity.clientId !== undefined) parts.push(`clients/${name(entity.clientId)}`);
  if (parts.length === 0) throw new Error('a quota entity names a user, a client id or both');
  return parts.join('/');
}

export function parseEntityPath(path: string): ClientQuotaEntity | undefined {
  const match = /^(?:users\/([^/]+))?(?:\/?clients\/([^/]+))?$/.exec(path);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return undefined;
  const name = (n: string) => (n === DEFAULT_ENTITY_NAME ? null : decodeURIComponent(n));
  return {
    ...(match[1] === undefined ? {} : { user: name(match[1]) }),
    ...(match[2] === undefined ? {} : { clientId: name(match[2]) }),
  };
}
