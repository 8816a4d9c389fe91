/**
 * JwksValidator (KIP-768) with a `file:` JWKS made here from fresh RSA and EC P-256 keys: tokens
 * signed with them (RS256, PS256/384/512, ES256 in JWS's r||s form) pass; anything signed with
 * another key, for another issuer or audience, expired, or naming an unknown key id does not.
 */
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BrokerConfig } from '../../../src/config/broker-config.js';
import { ConfigError } from '../../../src/config/config-def.js';
import { JwksValidator } from '../../../src/security/sasl/jwks-validator.js';
import { TokenValidationError } from '../../../src/security/sasl/oauthbearer-server.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

const dir = mkdtempSync(join(tmpdir(), 'samsa-jwks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeJwks(name: string, keys: Record<string, unknown>[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ keys }));
  return pathToFileURL(path).href;
}

const jwk = (key: KeyObject, extra: Record<string, unknown>) => ({ ...key.export({ format: 'jwk' }), ...extra });
const JWKS_URL = writeJwks('jwks.json', [
  jwk(rsa.publicKey, { kid: 'rsa-1', use: 'sig', alg: 'RS256' }),
  jwk(ec.publicKey, { kid: 'ec-1', use: 'sig' }),
]);

const ISSUER = 'https://issuer.example';
const AUDIENCE = 'kafka-broker';

interface SignOptions {
  readonly alg?: string;
  /** null: no `kid` in the header. */
  readonly kid?: string | null;
  readonly key?: KeyObject;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signedJwt(claims: Record<string, unknown>, { alg = 'RS256', kid = 'rsa-1', key }: SignOptions = {}): string {
  const header = kid === null ? { alg, typ: 'JWT' } : { alg, kid, typ: 'JWT' };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const digest = `sha${alg.slice(2)}`;
  let signature: Buffer;
  if (alg.startsWith('ES')) {
    signature = sign(digest, Buffer.from(input), { key: key ?? ec.privateKey, dsaEncoding: 'ieee-p1363' });
  } else if (alg.startsWith('PS')) {
    // RFC 7518 3.5: the PSS salt is as long as the hash.
    const saltLength = Number(alg.slice(2)) / 8;
    signature = sign(digest, Buffer.from(input), {
      key: key ?? rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength,
    });
  } else {
    signature = sign(digest, Buffer.from(input), key ?? rsa.privateKey);
  }
  return `${input}.${signature.toString('base64url')}`;
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'alice', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300, ...overrides };
}

function validator(overrides: Partial<ConstructorParameters<typeof JwksValidator>[0]> = {}): JwksValidator {
  return new JwksValidator({
    url: JWKS_URL,
    refreshMs: 0,
    expectedAudience: [AUDIENCE],
    expectedIssuer: ISSUER,
    subClaimName: 'sub',
    clockSkewMs: 0,
    ...overrides,
  });
}

function refused(v: JwksValidator, token: string, reason: RegExp): void {
  assert.throws(
    () => v.validate(token),
    (err) => {
      assert.ok(err instanceof TokenValidationError, String(err));
      assert.match(err.message, reason);
      return true;
    },
  );
}

describe('JwksValidator', () => {
  test('an RS256 token signed with the RSA key is accepted: subject and expiry', () => {
    const c = claims();
    assert.deepEqual(validator().validate(signedJwt(c)), {
      principalName: 'alice',
      expiresAtMs: (c.exp as number) * 1000,
    });
  });

  test('an ES256 token (signature as r||s) signed with the EC P-256 key is accepted', () => {
    assert.equal(validator().validate(signedJwt(claims(), { alg: 'ES256', kid: 'ec-1' })).principalName, 'alice');
  });

  test('an ES256 signature in DER form is not a JWS signature', () => {
    const input = `${b64url({ alg: 'ES256', kid: 'ec-1' })}.${b64url(claims())}`;
    const der = sign('sha256', Buffer.from(input), ec.privateKey);
    refused(validator(), `${input}.${der.toString('base64url')}`, /signature/);
  });

  for (const alg of ['PS256', 'PS384', 'PS512']) {
    test(`a ${alg} token (PSS, salt as long as the hash) is accepted`, () => {
      assert.equal(validator().validate(signedJwt(claims(), { alg })).principalName, 'alice');
    });
  }

  test('a token signed with another key is refused', () => {
    refused(validator(), signedJwt(claims(), { key: otherRsa.privateKey }), /signature/);
  });

  test('a token whose claims were changed after signing is refused', () => {
    const [header, , signature] = signedJwt(claims()).split('.');
    refused(validator(), `${header}.${b64url(claims({ sub: 'admin' }))}.${signature}`, /signature/);
  });

  test('a token naming an unknown key id is refused', () => {
    refused(validator(), signedJwt(claims(), { kid: 'rotated-away' }), /no key rotated-away/);
  });

  test('without a kid, the only key of a one-key JWKS is used; with several keys the token is refused', () => {
    const single = validator({ url: writeJwks('single.json', [jwk(rsa.publicKey, {})]) });
    assert.equal(single.validate(signedJwt(claims(), { kid: null })).principalName, 'alice');
    refused(validator(), signedJwt(claims(), { kid: null }), /no key/);
  });

  test('keys for encryption (use=enc) are not used to verify', () => {
    const encOnly = validator({ url: writeJwks('enc.json', [jwk(rsa.publicKey, { kid: 'rsa-1', use: 'enc' })]) });
    refused(encOnly, signedJwt(claims()), /no key/);
  });

  test('a token for another issuer is refused', () => {
    refused(validator(), signedJwt(claims({ iss: 'https://evil.example' })), /issuer/);
    refused(validator(), signedJwt(claims({ iss: undefined })), /issuer/);
  });

  test('a token for another audience is refused; one of several audiences is enough', () => {
    refused(validator(), signedJwt(claims({ aud: 'another-service' })), /audience/);
    refused(validator(), signedJwt(claims({ aud: undefined })), /audience/);
    assert.equal(validator().validate(signedJwt(claims({ aud: ['other', AUDIENCE] }))).principalName, 'alice');
  });

  test('without an expected issuer or audience, neither is checked', () => {
    const lax = validator({ expectedIssuer: null, expectedAudience: null });
    assert.equal(lax.validate(signedJwt(claims({ iss: 'anyone', aud: 'anything' }))).principalName, 'alice');
  });

  test('an expired token is refused; the clock skew lets a just-expired one in', () => {
    const expired = signedJwt(claims({ exp: Math.floor(Date.now() / 1000) - 5 }));
    refused(validator(), expired, /expired/);
    assert.equal(validator({ clockSkewMs: 30_000 }).validate(expired).principalName, 'alice');
    refused(validator(), signedJwt(claims({ exp: undefined })), /exp/);
  });

  test('the subject comes from the configured claim and must be present', () => {
    assert.equal(
      validator({ subClaimName: 'client_id' }).validate(signedJwt(claims({ client_id: 'svc-7' }))).principalName,
      'svc-7',
    );
    refused(validator(), signedJwt(claims({ sub: undefined })), /"sub"/);
  });

  test('unsigned, HMAC and malformed tokens are refused', () => {
    const c = claims();
    refused(validator(), `${b64url({ alg: 'none' })}.${b64url(c)}.`, /algorithm/);
    refused(validator(), `${b64url({ alg: 'HS256', kid: 'rsa-1' })}.${b64url(c)}.c2ln`, /algorithm/);
    refused(validator(), 'only.two', /three parts/);
    refused(validator(), 'a.b.c', /header/);
  });

  test('fromConfig reads the broker keys; a missing or non-URL JWKS location is a ConfigError', () => {
    const base: [string, string][] = [
      ['listeners', 'SASL_PLAINTEXT://127.0.0.1:0'],
      ['inter.broker.listener.name', 'SASL_PLAINTEXT'],
      ['log.dirs', join(dir, 'logs')],
      ['sasl.oauthbearer.expected.audience', AUDIENCE],
      ['sasl.oauthbearer.expected.issuer', ISSUER],
      ['sasl.oauthbearer.jwks.endpoint.refresh.ms', '0'],
    ];
    const fromConfig = (extra: [string, string][]) =>
      JwksValidator.fromConfig(new BrokerConfig(new Map([...base, ...extra])), 'SASL_PLAINTEXT');
    const configured = fromConfig([['listener.name.sasl_plaintext.sasl.oauthbearer.jwks.endpoint.url', JWKS_URL]]);
    assert.equal(configured.validate(signedJwt(claims())).principalName, 'alice');
    refused(configured, signedJwt(claims({ aud: 'other' })), /audience/);
    for (const extra of [[], [['sasl.oauthbearer.jwks.endpoint.url', '/etc/jwks.json']]] as [string, string][][]) {
      assert.throws(
        () => fromConfig(extra),
        (err) => err instanceof ConfigError && err.key === 'sasl.oauthbearer.jwks.endpoint.url',
      );
    }
    assert.throws(
      () => fromConfig([['sasl.oauthbearer.jwks.endpoint.url', pathToFileURL(join(dir, 'missing.json')).href]]),
      (err) => err instanceof ConfigError && err.key === 'sasl.oauthbearer.jwks.endpoint.url',
    );
  });
});
