/**
 * An OAuth 2 bearer token as the OAUTHBEARER mechanism sends it (Java's OAuthBearerToken plus
 * the SASL extensions of KIP-342).
 */
export interface OAuthBearerToken {
  /** The compact serialization sent to the broker: a JWT, for Kafka's validators. */
  readonly value: string;
  /** When the token expires, in milliseconds since the epoch (Java's `lifetimeMs()`); optional. */
  readonly lifetimeMs?: number;
  /** Whom the token names; used in error messages only. */
  readonly principalName?: string;
  /** SASL extensions sent with the token (KIP-342): keys of letters, `auth` reserved. */
  readonly extensions?: Readonly<Record<string, string>>;
}

/**
 * Supplies the token for each authentication: every new connection and every KIP-368
 * re-authentication calls it, so a provider that caches should hand out a fresh token before
 * the cached one expires (KafkaJS's `oauthBearerProvider` contract).
 */
export type OAuthBearerTokenProvider = () => OAuthBearerToken | Promise<OAuthBearerToken>;

/** RFC 7628 §3.1 key and value syntax, as Kafka's SaslExtensions validates them. */
const EXTENSION_KEY = /^[A-Za-z]+$/;
const EXTENSION_VALUE = /^[\x21-\x7E \t\r\n]+$/;
/** RFC 6750 §2.1 b64token: what may follow `auth=Bearer `. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Checks a token before it is sent; returns the reason it is unusable, or undefined. `nowMs` is
 * passed in so that the check is deterministic in tests.
 */
export function invalidTokenReason(token: unknown, nowMs: number): string | undefined {
  if (typeof token !== 'object' || token === null) return 'the token provider returned no token object';
  const { value, lifetimeMs, extensions } = token as OAuthBearerToken;
  if (typeof value !== 'string' || value === '') return 'the token has no value (expected { value: "<JWT>" })';
  if (!B64TOKEN.test(value)) return 'the token value is not an RFC 6750 bearer token (a JWT has only [A-Za-z0-9._-])';
  if (lifetimeMs !== undefined) {
    if (typeof lifetimeMs !== 'number' || !Number.isFinite(lifetimeMs)) return 'lifetimeMs is not a number';
    if (lifetimeMs <= nowMs) return `the token expired at ${new Date(lifetimeMs).toISOString()}`;
  }
  if (extensions !== undefined) {
    if (typeof extensions !== 'object' || extensions === null) return 'extensions is not an object';
    for (const [key, v] of Object.entries(extensions)) {
      if (key === 'auth') return "the SASL extension name 'auth' is reserved";
      if (!EXTENSION_KEY.test(key)) return `SASL extension name '${key}' is not letters only`;
      if (typeof v !== 'string' || !EXTENSION_VALUE.test(v)) return `SASL extension '${key}' has an invalid value`;
    }
  }
  return undefined;
}
