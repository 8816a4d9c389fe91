import type { ApiCodec } from '../codec.js';
import { ApiKey, GENERATED_APIS } from '../generated/index.js';

/** Codecs by API key; `undefined` for keys Samsa has no table for. */
const byKey: (ApiCodec | undefined)[] = [];
for (const api of GENERATED_APIS) byKey[api.apiKey] = api as unknown as ApiCodec;

export function apiCodec(apiKey: number): ApiCodec | undefined {
  return byKey[apiKey];
}

/** Kafka's name for an API key, e.g. `Produce`; `Unknown(99)` for keys without a table. */
export function apiName(apiKey: number): string {
  return byKey[apiKey]?.name ?? `Unknown(${apiKey})`;
}

/**
 * Request header version for an API version: 2 for flexible versions, 1 otherwise, and 0 for
 * ControlledShutdown v0, the one request that predates client IDs.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  const api = byKey[apiKey];
  if (api === undefined) return 1;
  if (apiVersion >= api.request.firstFlexibleVersion) return 2;
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return 1;
}

/**
 * Response header version: 1 for flexible versions, 0 otherwise — except ApiVersions, whose
 * response header is always v0 so that a client that does not yet know the broker's versions
 * can always parse it (KIP-511).
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const api = byKey[apiKey];
  if (api === undefined) return 0;
  return apiVersion >= api.response.firstFlexibleVersion ? 1 : 0;
}
