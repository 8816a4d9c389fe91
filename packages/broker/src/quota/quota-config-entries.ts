import { isQuotaKey, type QuotaKey } from './client-quota-entity.js';

/**
 * Quotas as config entries, the form ZooKeeper's `/config/users|clients/…` and the metadata file
 * hold them in (`"producer_byte_rate": "1048576"`), beside any other entries of the entity (a
 * user's SCRAM credentials), which are kept as they are.
 */
export function quotasOfConfig(config: Readonly<Record<string, string>>): Map<QuotaKey, number> {
  const quotas = new Map<QuotaKey, number>();
  for (const [key, text] of Object.entries(config)) {
    const value = Number(text);
    if (isQuotaKey(key) && Number.isFinite(value) && value > 0) quotas.set(key, value);
  }
  return quotas;
}

export function withQuotas(
  config: Readonly<Record<string, string>>,
  quotas: ReadonlyMap<QuotaKey, number>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (!isQuotaKey(key)) out[key] = value;
  for (const [key, value] of quotas) out[key] = String(value);
  return out;
}
