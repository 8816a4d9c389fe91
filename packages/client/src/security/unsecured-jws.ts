import type { OAuthBearerToken } from './oauthbearer-token.js';

/** Kafka's OAuthBearerUnsecuredLoginCallbackHandler option names (the JAAS options of OAuthBearerLoginModule). */
const STRING_CLAIM = 'unsecuredLoginStringClaim_';
const NUMBER_CLAIM = 'unsecuredLoginNumberClaim_';
const LIST_CLAIM = 'unsecuredLoginListClaim_';
const EXTENSION = 'unsecuredLoginExtension_';
const PRINCIPAL_CLAIM_NAME = 'unsecuredLoginPrincipalClaimName';
const LIFETIME_SECONDS = 'unsecuredLoginLifetimeSeconds';
const DEFAULT_LIFETIME_SECONDS = 3600;

/**
 * Whether the JAAS options ask for Kafka's unsecured tokens, as Java's default OAUTHBEARER login
 * makes them when no login callback handler is configured.
 */
export function hasUnsecuredLoginOptions(options: ReadonlyMap<string, string>): boolean {
  for (const key of options.keys()) if (key.startsWith('unsecuredLogin')) return true;
  return false;
}

/**
 * Checks the options now, so that a mistake fails at construction naming `sasl.jaas.config`, and
 * returns a builder of fresh tokens (each authentication gets one, issued at that moment).
 * Throws an Error with the reason.
 */
export function unsecuredJwsBuilder(options: ReadonlyMap<string, string>): (nowMs: number) => OAuthBearerToken {
  const principalClaim = options.get(PRINCIPAL_CLAIM_NAME) ?? 'sub';
  const lifetimeText = options.get(LIFETIME_SECONDS);
  const lifetimeSeconds = lifetimeText === undefined ? DEFAULT_LIFETIME_SECONDS : Number(lifetimeText);
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw new Error(`${LIFETIME_SECONDS}="${lifetimeText}" is not a positive number of seconds`);
  }
  const claims: Record<string, string | number | string[]> = {};
  const extensions: Record<string, string> = {};
  for (const [key, value] of options) {
    let name: string;
    if (key.startsWith(STRING_CLAIM)) claims[(name = key.slice(STRING_CLAIM.length))] = value;
    else if (key.startsWith(NUMBER_CLAIM)) {
      name = key.slice(NUMBER_CLAIM.length);
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${key}="${value}" is not a number`);
      claims[name] = n;
    } else if (key.startsWith(LIST_CLAIM)) {
      // Java: the first character is the delimiter (",a,b" is ["a", "b"]).
      name = key.slice(LIST_CLAIM.length);
      claims[name] = value.length === 0 ? [] : value.slice(1).split(value[0] as string);
    } else if (key.startsWith(EXTENSION)) {
      extensions[key.slice(EXTENSION.length)] = value;
      continue;
    } else continue;
    if (name === 'iat' || name === 'exp') throw new Error(`${key}: the ${name} claim is set by the client`);
    if (name === '') throw new Error(`${key}: the claim has no name`);
  }
  const principal = claims[principalClaim];
  if (typeof principal !== 'string' || principal === '') {
    throw new Error(
      `no principal: set ${STRING_CLAIM}${principalClaim}="<user>" (the ${principalClaim} claim names the principal)`,
    );
  }
  return (nowMs) => {
    const issuedAtSeconds = nowMs / 1000;
    // Java's order and form: exp and iat first, fractional seconds, then the configured claims.
    const body = { exp: issuedAtSeconds + lifetimeSeconds, iat: issuedAtSeconds, ...claims };
    return {
      value: `${base64Url({ alg: 'none' })}.${base64Url(body)}.`,
      lifetimeMs: nowMs + lifetimeSeconds * 1000,
      principalName: principal,
      extensions,
    };
  };
}

function base64Url(json: object): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}
