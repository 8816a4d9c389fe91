import type { ClientQuotaEntity } from '../quota/client-quota-entity.js';

/** An entity as the quota APIs carry it: `[{entityType, entityName}]`, a null name for the default. */
export function entityData(entity: ClientQuotaEntity): { entityType: string; entityName: string | null }[] {
  const out: { entityType: string; entityName: string | null }[] = [];
  if (entity.user !== undefined) out.push({ entityType: 'user', entityName: entity.user });
  if (entity.clientId !== undefined) out.push({ entityType: 'client-id', entityName: entity.clientId });
  return out;
}

/** The entity a request names, or the reason it is invalid. */
export function entityFromData(
  data: readonly { entityType: string; entityName: string | null }[],
): ClientQuotaEntity | string {
  let user: string | null | undefined;
  let clientId: string | null | undefined;
  for (const e of data) {
    if (e.entityType === 'user') {
      if (user !== undefined) return 'Duplicate user entity type';
      user = e.entityName;
    } else if (e.entityType === 'client-id') {
      if (clientId !== undefined) return 'Duplicate client-id entity type';
      clientId = e.entityName;
    } else if (e.entityType === 'ip') {
      return 'IP quotas (connection_creation_rate, KIP-612) are not supported by Samsa';
    } else return `Unknown entity type ${e.entityType}`;
  }
  if (user === undefined && clientId === undefined) return 'Invalid empty client quota entity';
  if (user === '' || clientId === '') return 'Empty entity names are not allowed; use the default entity';
  return { ...(user === undefined ? {} : { user }), ...(clientId === undefined ? {} : { clientId }) };
}
