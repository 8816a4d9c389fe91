import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrokerConfig } from '../../config/broker-config.js';
import { ConfigError } from '../../config/config-def.js';
import { decodeJwtPart, requireExpiry } from './jwt-claims.js';
import { TokenValidationError, type TokenValidator, type ValidatedToken } from './oauthbearer-server.js';

/**
 * JWS algorithms → Node's digest and signature encoding (ECDSA signatures are r||s in a JWS; a PSS
 * salt is as long as the hash, RFC 7518 section 3.5).
 */
const ALGORITHMS: Record<string, { digest: string; ecdsa?: true; pssSaltLength?: number }> = {
  RS256: { digest: 'sha256' },
  RS384: { digest: 'sha384' },
  RS512: { digest: 'sha512' },
  PS256: { digest: 'sha256', pssSaltLength: 32 },
  PS384: { digest: 'sha384', pssSaltLength: 48 },
  PS512: { digest: 'sha512', pssSaltLength: 64 },
  ES256: { digest: 'sha256', ecdsa: true },
  ES384: { digest: 'sha384', ecdsa: true },
  ES512: { digest: 'sha512', ecdsa: true },
};

interface JwksOptions {
  readonly url: string;
  readonly refreshMs: number;
  readonly expectedAudience: readonly string[] | null;
  readonly expectedIssuer: string | null;
  readonly subClaimName: string;
  readonly clockSkewMs: number;
}

/**
 * Kafka's OAuthBearerValidatorCallbackHandler (KIP-768): signed JWTs checked against the keys of a
 * JWKS (`sasl.oauthbearer.jwks.endpoint.url`, `file:` or `http(s):`), then their issuer, audience,
 * expiry and subject. Keys are kept in memory and refreshed every
 * `sasl.oauthbearer.jwks.endpoint.refresh.ms`, and sooner when a token names an unknown key id.
 */
export class JwksValidator implements TokenValidator {
  private keys = new Map<string, KeyObject>();
  private lastRefreshMs = 0;
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: JwksOptions) {
    if (options.url.startsWith('file:')) this.install(readFileSync(fileURLToPath(options.url), 'utf8'));
    else void this.refresh();
    if (options.refreshMs > 0) {
      this.timer = setInterval(() => void this.refresh(), options.refreshMs);
      this.timer.unref();
    }
  }

  static fromConfig(config: BrokerConfig, listenerName: string): JwksValidator {
    const get = (name: string) => config.forListener(listenerName, name);
    const url = get('sasl.oauthbearer.jwks.endpoint.url') as string | null;
    if (url === null || !/^(file|https?):/.test(url)) {
      throw new ConfigError(
        'sasl.oauthbearer.jwks.endpoint.url',
        'OAuthBearerValidatorCallbackHandler needs sasl.oauthbearer.jwks.endpoint.url (a file:, http: or https: URL of the JWKS)',
      );
    }
    try {
      return new JwksValidator({
        url,
        refreshMs: get('sasl.oauthbearer.jwks.endpoint.refresh.ms') as number,
        expectedAudience: get('sasl.oauthbearer.expected.audience') as readonly string[] | null,
        expectedIssuer: get('sasl.oauthbearer.expected.issuer') as string | null,
        subClaimName: get('sasl.oauthbearer.sub.claim.name') as string,
        clockSkewMs: (get('sasl.oauthbearer.clock.skew.seconds') as number) * 1000,
      });
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(
        'sasl.oauthbearer.jwks.endpoint.url',
        `could not read the JWKS at ${url}: ${(err as Error).message}`,
      );
    }
  }

  validate(token: string): ValidatedToken {
    const parts = token.split('.');
    if (parts.length !== 3) throw new TokenValidationError('a JWS has three parts');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJwtPart(headerPart, 'header');
    const alg = ALGORITHMS[String(header.alg)];
    if (alg === undefined) throw new TokenValidationError(`unsupported JWS algorithm ${String(header.alg)}`);
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const key =
      kid === undefined ? (this.keys.size === 1 ? [...this.keys.values()][0] : undefined) : this.keys.get(kid);
    if (key === undefined) {
      if (Date.now() - this.lastRefreshMs > 10_000) void this.refresh();
      throw new TokenValidationError(`no key ${kid ?? '(no kid)'} in the JWKS`);
    }
    const ok = verify(
      alg.digest,
      Buffer.from(`${headerPart}.${payloadPart}`),
      {
        key,
        ...(alg.ecdsa === true ? { dsaEncoding: 'ieee-p1363' as const } : {}),
        ...(alg.pssSaltLength !== undefined
          ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: alg.pssSaltLength }
          : {}),
      },
      Buffer.from(signaturePart, 'base64url'),
    );
    if (!ok) throw new TokenValidationError('the token signature does not verify');
    const claims = decodeJwtPart(payloadPart, 'payload');
    const expiresAtMs = requireExpiry(claims, this.options.clockSkewMs);
    const { expectedIssuer, expectedAudience, subClaimName } = this.options;
    if (expectedIssuer !== null && claims.iss !== expectedIssuer) {
      throw new TokenValidationError(`the token's issuer ${String(claims.iss)} is not ${expectedIssuer}`);
    }
    if (expectedAudience !== null && expectedAudience.length > 0) {
      const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
      if (!aud.some((a) => expectedAudience.includes(a))) {
        throw new TokenValidationError(`the token's audience ${aud.join(',')} is not expected`);
      }
    }
    const subject = claims[subClaimName];
    if (typeof subject !== 'string' || subject === '') {
      throw new TokenValidationError(`the token has no "${subClaimName}" claim`);
    }
    return { principalName: subject, expiresAtMs };
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      this.lastRefreshMs = Date.now();
      try {
        const url = this.options.url;
        const text = url.startsWith('file:')
          ? readFileSync(fileURLToPath(url), 'utf8')
          : await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
        this.install(text);
      } catch {
        // Keep the keys we have; the next refresh tries again.
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private install(text: string): void {
    const jwks = JSON.parse(text) as { keys?: Record<string, unknown>[] };
    const keys = new Map<string, KeyObject>();
    for (const [i, jwk] of (jwks.keys ?? []).entries()) {
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      keys.set(typeof jwk.kid === 'string' ? jwk.kid : `#${i}`, createPublicKey({ key: jwk as never, format: 'jwk' }));
    }
    this.keys = keys;
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
