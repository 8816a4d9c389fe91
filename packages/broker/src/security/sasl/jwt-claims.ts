import { TokenValidationError } from './oauthbearer-server.js';

/** Decodes one base64url JSON part of a JWT, refusing anything that is not a JSON object. */
export function decodeJwtPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new TokenValidationError(`the token's ${what} is not base64url-encoded JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenValidationError(`the token's ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** The `exp` claim in ms; throws when it is missing or past (beyond the allowed clock skew). */
export function requireExpiry(claims: Record<string, unknown>, clockSkewMs: number): number {
  const exp = claims.exp;
  if (typeof exp !== 'number') throw new TokenValidationError('the token has no numeric "exp" claim');
  const expiresAtMs = exp * 1000;
  if (expiresAtMs + clockSkewMs <= Date.now()) throw new TokenValidationError('the token has expired');
  const nbf = claims.nbf;
  if (typeof nbf === 'number' && nbf * 1000 - clockSkewMs > Date.now()) {
    throw new TokenValidationError('the token is not valid yet (nbf)');
  }
  return expiresAtMs;
}
