import { AlterClientQuotasApi, DescribeClientQuotasApi, ErrorCode, KafkaError } from '@samsa/protocol';
import type { Cluster } from '../metadata/cluster.js';

/**
 * A client quota entity (KIP-546, Java's ClientQuotaEntity): a user, a client id, or a user's
 * client id; an IP for connection quotas (KIP-612, which Samsa's broker refuses). A part that is
 * absent is not part of the entity; a null name is that type's default entity (what
 * `--entity-default` names).
 */
export interface ClientQuotaEntity {
  readonly user?: string | null;
  readonly clientId?: string | null;
  readonly ip?: string | null;
}

/** The entity types as the quota APIs spell them (Java's ClientQuotaEntity.USER, CLIENT_ID, IP). */
export type ClientQuotaEntityType = 'user' | 'client-id' | 'ip';

/** One part of a filter (Java's ClientQuotaFilterComponent). */
export interface ClientQuotaFilterComponent {
  readonly entityType: ClientQuotaEntityType;
  /** A name: that entity (ofEntity); null: the default entity (ofDefaultEntity); absent: any entity of the type (ofEntityType). */
  readonly match?: string | null | undefined;
}

/** Which entities to describe (Java's ClientQuotaFilter). */
export interface ClientQuotaFilter {
  /** Every component must match; none matches every entity. */
  readonly components: readonly ClientQuotaFilterComponent[];
  /**
   * Leave out entities with parts no component names (Java's `containsOnly`, what
   * kafka-configs.sh asks for); otherwise they match too (`contains`).
   */
  readonly strict?: boolean;
}

/** One entity's quotas: `producer_byte_rate`, `consumer_byte_rate`, `request_percentage`, … */
export interface ClientQuotaEntry {
  readonly entity: ClientQuotaEntity;
  /** In the order the broker sent them. */
  readonly values: Readonly<Record<string, number>>;
}

/** Sets a quota, or removes it with a null value (Java's ClientQuotaAlteration.Op). */
export interface ClientQuotaOp {
  readonly key: string;
  readonly value: number | null;
}

/** The changes to one entity's quotas (Java's ClientQuotaAlteration). */
export interface ClientQuotaAlteration {
  readonly entity: ClientQuotaEntity;
  readonly ops: readonly ClientQuotaOp[];
}

/** One entity's outcome: all of its ops were made, or none. */
export interface ClientQuotaAlterationResult {
  readonly entity: ClientQuotaEntity;
  readonly error: KafkaError | null;
}

/** DescribeClientQuotasRequest's match types. */
const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_ANY = 2;

/** The entity's parts as the APIs carry them, always in this order: user, client-id, ip. */
function entityData(entity: ClientQuotaEntity): { entityType: ClientQuotaEntityType; entityName: string | null }[] {
  const out: { entityType: ClientQuotaEntityType; entityName: string | null }[] = [];
  if (entity.user !== undefined) out.push({ entityType: 'user', entityName: entity.user });
  if (entity.clientId !== undefined) out.push({ entityType: 'client-id', entityName: entity.clientId });
  if (entity.ip !== undefined) out.push({ entityType: 'ip', entityName: entity.ip });
  return out;
}

/** An entity from the wire. Types Kafka does not define are left out (none exist today). */
function entityOf(data: readonly { entityType: string; entityName: string | null }[]): ClientQuotaEntity {
  const entity: { user?: string | null; clientId?: string | null; ip?: string | null } = {};
  for (const part of data) {
    if (part.entityType === 'user') entity.user = part.entityName;
    else if (part.entityType === 'client-id') entity.clientId = part.entityName;
    else if (part.entityType === 'ip') entity.ip = part.entityName;
  }
  return entity;
}

/** Equal for equal entities whatever the order of their parts (a null name differs from an absent part). */
function entityKey(entity: ClientQuotaEntity): string {
  return JSON.stringify(entityData(entity));
}

/**
 * DescribeClientQuotas (KIP-546) on any broker: the entities the filter matches, with their
 * quotas. A refused filter (INVALID_REQUEST, CLUSTER_AUTHORIZATION_FAILED) rejects.
 */
export async function describeClientQuotas(cluster: Cluster, filter: ClientQuotaFilter): Promise<ClientQuotaEntry[]> {
  const connection = await cluster.anyConnection();
  const response = await connection.request(DescribeClientQuotasApi, {
    components: filter.components.map((c) =>
      c.match === undefined
        ? { entityType: c.entityType, matchType: MATCH_ANY, match: null }
        : c.match === null
          ? { entityType: c.entityType, matchType: MATCH_DEFAULT, match: null }
          : { entityType: c.entityType, matchType: MATCH_EXACT, match: c.match },
    ),
    strict: filter.strict ?? false,
  });
  if (response.errorCode !== ErrorCode.NONE) {
    throw new KafkaError(response.errorCode, response.errorMessage ?? undefined);
  }
  return (response.entries ?? []).map((e) => ({
    entity: entityOf(e.entity),
    values: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
  }));
}

/**
 * AlterClientQuotas (KIP-546) on any broker: ZooKeeper-mode brokers write the change themselves
 * and KRaft brokers forward it to the controller, so Java's Admin sends it to the least loaded
 * broker. Resolves with one result per alteration, in the order given; the broker's refusals
 * (INVALID_REQUEST for an unknown key or a bad value) are the results' errors.
 */
export async function alterClientQuotas(
  cluster: Cluster,
  alterations: readonly ClientQuotaAlteration[],
  validateOnly: boolean,
): Promise<ClientQuotaAlterationResult[]> {
  if (alterations.length === 0) return [];
  const connection = await cluster.anyConnection();
  const response = await connection.request(AlterClientQuotasApi, {
    entries: alterations.map((a) => ({
      entity: entityData(a.entity),
      ops: a.ops.map((op) =>
        op.value === null ? { key: op.key, value: 0, remove: true } : { key: op.key, value: op.value, remove: false },
      ),
    })),
    validateOnly,
  });
  const answered = new Map<string, KafkaError | null>();
  for (const e of response.entries) {
    answered.set(
      entityKey(entityOf(e.entity)),
      e.errorCode === ErrorCode.NONE ? null : new KafkaError(e.errorCode, e.errorMessage ?? undefined),
    );
  }
  return alterations.map((a) => {
    const key = entityKey(a.entity);
    const error = answered.has(key)
      ? (answered.get(key) as KafkaError | null)
      : new KafkaError(
          ErrorCode.UNKNOWN_SERVER_ERROR,
          `The broker response did not contain a result for entity ${key}`,
        );
    return { entity: a.entity, error };
  });
}
