import { decodeJwtPart, requireExpiry } from './jwt-claims.js';
import { TokenValidationError, type TokenValidator, type ValidatedToken } from './oauthbearer-server.js';

export interface UnsecuredValidatorOptions {
  /** unsecuredValidatorPrincipalClaimName (default `sub`). */
  readonly principalClaimName: string;
  /** unsecuredValidatorScopeClaimName (default `scope`). */
  readonly scopeClaimName: string;
  /** unsecuredValidatorRequiredScope: scopes the token must all carry. */
  readonly requiredScope: readonly string[];
  /** unsecuredValidatorAllowableClockSkewMs (default 0). */
  readonly allowableClockSkewMs: number;
}

/**
 * Kafka's OAuthBearerUnsecuredValidatorCallbackHandler, for development only: accepts unsigned
 * JWTs (`"alg":"none"`) and checks their claims — principal, expiry, required scopes.
 */
export class UnsecuredJwsValidator implements TokenValidator {
  constructor(private readonly options: UnsecuredValidatorOptions) {}

  validate(token: string): ValidatedToken {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[2] !== '') {
      throw new TokenValidationError('an unsecured JWS has three parts and an empty signature');
    }
    const header = decodeJwtPart(parts[0] as string, 'header');
    if (header.alg !== 'none')
      throw new TokenValidationError(`unsecured JWS must have alg "none", not ${String(header.alg)}`);
    const claims = decodeJwtPart(parts[1] as string, 'payload');
    const principal = claims[this.options.principalClaimName];
    if (typeof principal !== 'string' || principal === '') {
      throw new TokenValidationError(`the token has no "${this.options.principalClaimName}" claim`);
    }
    const expiresAtMs = requireExpiry(claims, this.options.allowableClockSkewMs);
    if (this.options.requiredScope.length > 0) {
      const raw = claims[this.options.scopeClaimName];
      const scopes = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw.map(String) : [];
      const missing = this.options.requiredScope.filter((s) => !scopes.includes(s));
      if (missing.length > 0) throw new TokenValidationError(`the token lacks the required scope ${missing.join(' ')}`);
    }
    return { principalName: principal, expiresAtMs };
  }
}
