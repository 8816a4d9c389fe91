import { type ClientQuotaEntity, entityPath, type QuotaKey } from './client-quota-entity.js';

/** Which configured quota applies to a request, and which clients share it. */
export interface ResolvedQuota {
  readonly bound: number;
  /** The clients that share one measurement: Kafka's metric tags (user, client-id). */
  readonly sensorKey: string;
}

/**
 * The configured client quotas, by entity, with Kafka's precedence (DefaultQuotaCallback): the most
 * specific of user+client-id, user+default client, user, default user+client-id, default
 * user+default client, default user, client-id, default client-id wins.
 */
export class ClientQuotaConfigs {
  private readonly byPath = new Map<string, { entity: ClientQuotaEntity; values: Map<QuotaKey, number> }>();
  private version = 0;

  /** Replaces one entity's quotas (an empty map removes them). */
  set(entity: ClientQuotaEntity, values: ReadonlyMap<QuotaKey, number>): void {
    const path = entityPath(entity);
    if (values.size === 0) this.byPath.delete(path);
    else this.byPath.set(path, { entity, values: new Map(values) });
    this.version++;
  }

  get(entity: ClientQuotaEntity): ReadonlyMap<QuotaKey, number> {
    return this.byPath.get(entityPath(entity))?.values ?? new Map();
  }

  entries(): IterableIterator<{ entity: ClientQuotaEntity; values: ReadonlyMap<QuotaKey, number> }> {
    return this.byPath.values();
  }

  /** True when no quota is configured at all: then nothing is measured. */
  get isEmpty(): boolean {
    return this.byPath.size === 0;
  }

  /** Changes whenever a quota does (lets callers cache resolutions). */
  get generation(): number {
    return this.version;
  }

  resolve(user: string, clientId: string, key: QuotaKey): ResolvedQuota | undefined {
    const candidates: [ClientQuotaEntity, string, string][] = [
      [{ user, clientId }, user, clientId],
      [{ user, clientId: null }, user, clientId],
      [{ user }, user, ''],
      [{ user: null, clientId }, user, clientId],
      [{ user: null, clientId: null }, user, clientId],
      [{ user: null }, user, ''],
      [{ clientId }, '', clientId],
      [{ clientId: null }, '', clientId],
    ];
    for (const [entity, userTag, clientTag] of candidates) {
      const bound = this.byPath.get(entityPath(entity))?.values.get(key);
      if (bound !== undefined) return { bound, sensorKey: `${userTag}\u0000${clientTag}` };
    }
    return undefined;
  }
}
