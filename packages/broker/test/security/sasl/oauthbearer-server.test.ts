/**
 * SASL/OAUTHBEARER (RFC 7628) with Kafka's unsecured validator: the client's message, the JSON
 * error challenge for a bad token and the client's 0x01 acknowledgement, required scopes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  OAuthBearerSaslServer,
  TokenValidationError,
  type TokenValidator,
} from '../../../src/security/sasl/oauthbearer-server.js';
import { SaslAuthenticationError } from '../../../src/security/sasl/sasl-server.js';
import { UnsecuredJwsValidator } from '../../../src/security/sasl/unsecured-jws-validator.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An unsecured JWS as Kafka's OAuthBearerUnsecuredLoginCallbackHandler makes it. */
function unsecuredJws(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'none' }): string {
  return `${b64url(header)}.${b64url(claims)}.`;
}

/** The client's first message: gs2 header, `auth=Bearer <token>`, optional extensions, 0x01 separators. */
function clientFirst(token: string, { authzid = '', extensions = {} as Record<string, string> } = {}): Buffer {
  const kvs = [`auth=Bearer ${token}`, ...Object.entries(extensions).map(([k, v]) => `${k}=${v}`)];
  return Buffer.from(`n,${authzid === '' ? '' : `a=${authzid}`},\x01${kvs.join('\x01')}\x01\x01`);
}

function validator(options: Partial<ConstructorParameters<typeof UnsecuredJwsValidator>[0]> = {}) {
  return new UnsecuredJwsValidator({
    principalClaimName: 'sub',
    scopeClaimName: 'scope',
    requiredScope: [],
    allowableClockSkewMs: 0,
    ...options,
  });
}

/** Evaluates a message that must be answered with the error challenge, then sends the client's 0x01. */
function assertErrorChallengeThenFailure(server: OAuthBearerSaslServer, message: Buffer): void {
  const challenge = server.evaluate(message);
  assert.deepEqual(JSON.parse(challenge.toString('utf8')), { status: 'invalid_token' });
  assert.equal(server.isComplete, false);
  assert.throws(() => server.evaluate(Buffer.from('\x01')), SaslAuthenticationError);
  assert.equal(server.isComplete, false);
}

describe('OAuthBearerSaslServer with the unsecured validator', () => {
  test('a valid token authenticates its subject, and the session knows when the token expires', () => {
    const exp = nowSeconds() + 3600;
    const server = new OAuthBearerSaslServer(validator());
    const answer = server.evaluate(clientFirst(unsecuredJws({ sub: 'alice', exp, iat: nowSeconds() })));
    assert.equal(answer.length, 0);
    assert.equal(server.isComplete, true);
    assert.equal(server.authorizationId(), 'alice');
    assert.equal(server.credentialExpiresAtMs(), exp * 1000);
  });

  test('extensions after the token are accepted', () => {
    const server = new OAuthBearerSaslServer(validator());
    server.evaluate(
      clientFirst(unsecuredJws({ sub: 'alice', exp: nowSeconds() + 60 }), { extensions: { traceId: '42' } }),
    );
    assert.equal(server.authorizationId(), 'alice');
  });

  test('an expired token gets the error challenge, then the client\'s "\\x01" fails the exchange', () => {
    const server = new OAuthBearerSaslServer(validator());
    assertErrorChallengeThenFailure(server, clientFirst(unsecuredJws({ sub: 'alice', exp: nowSeconds() - 10 })));
    assert.throws(() => server.authorizationId());
  });

  test('the allowed clock skew lets a just-expired token in', () => {
    const server = new OAuthBearerSaslServer(validator({ allowableClockSkewMs: 60_000 }));
    server.evaluate(clientFirst(unsecuredJws({ sub: 'alice', exp: nowSeconds() - 10 })));
    assert.equal(server.authorizationId(), 'alice');
  });

  test('a token not valid yet (nbf in the future) is refused', () => {
    const server = new OAuthBearerSaslServer(validator());
    assertErrorChallengeThenFailure(
      server,
      clientFirst(unsecuredJws({ sub: 'alice', exp: nowSeconds() + 600, nbf: nowSeconds() + 300 })),
    );
  });

  test('tokens without sub, without exp, with a signature or another alg are refused', () => {
    const exp = nowSeconds() + 60;
    for (const token of [
      unsecuredJws({ exp }),
      unsecuredJws({ sub: '', exp }),
      unsecuredJws({ sub: 'alice' }),
      unsecuredJws({ sub: 'alice', exp: String(exp) }),
      unsecuredJws({ sub: 'alice', exp }, { alg: 'HS256' }),
      `${unsecuredJws({ sub: 'alice', exp })}c2lnbmF0dXJl`,
      'not-a-jwt',
      `${b64url({ alg: 'none' })}.bm90IGpzb24.`,
      `${b64url({ alg: 'none' })}.${b64url([1, 2])}.`,
    ]) {
      assertErrorChallengeThenFailure(new OAuthBearerSaslServer(validator()), clientFirst(token));
    }
  });

  test('another principal claim name is honoured', () => {
    const server = new OAuthBearerSaslServer(validator({ principalClaimName: 'client_id' }));
    server.evaluate(clientFirst(unsecuredJws({ sub: 'alice', client_id: 'svc-1', exp: nowSeconds() + 60 })));
    assert.equal(server.authorizationId(), 'svc-1');
  });

  test('required scopes: all must be present, as a space-separated string or an array', () => {
    const exp = nowSeconds() + 60;
    const requiring = () => new OAuthBearerSaslServer(validator({ requiredScope: ['kafka', 'write'] }));
    for (const scope of ['kafka write', 'read write kafka', ['write', 'kafka']]) {
      const server = requiring();
      server.evaluate(clientFirst(unsecuredJws({ sub: 'alice', exp, scope })));
      assert.equal(server.isComplete, true, JSON.stringify(scope));
    }
    for (const claims of [{ scope: 'kafka' }, { scope: 'kafkawrite' }, { scope: ['kafka'] }, {}]) {
      assertErrorChallengeThenFailure(requiring(), clientFirst(unsecuredJws({ sub: 'alice', exp, ...claims })));
    }
  });

  test('an authorization id equal to the principal is accepted, another is refused', () => {
    const token = unsecuredJws({ sub: 'alice', exp: nowSeconds() + 60 });
    const same = new OAuthBearerSaslServer(validator());
    same.evaluate(clientFirst(token, { authzid: 'alice' }));
    assert.equal(same.authorizationId(), 'alice');
    const other = new OAuthBearerSaslServer(validator());
    assert.throws(() => other.evaluate(clientFirst(token, { authzid: 'admin' })), SaslAuthenticationError);
    assert.equal(other.isComplete, false);
  });

  test('malformed client messages are refused outright (no challenge)', () => {
    const token = unsecuredJws({ sub: 'alice', exp: nowSeconds() + 60 });
    for (const text of [
      '',
      'n,,',
      `auth=Bearer ${token}\x01\x01`,
      `n,,\x01auth=Bearer ${token}`,
      `n,,\x01auth=Bearer ${token}\x01`,
      `n,,\x01auth=Basic abc\x01\x01`,
      `n,,\x01auth=Bearer\x01\x01`,
      `n,,\x01noequals\x01\x01`,
      `x,,\x01auth=Bearer ${token}\x01\x01`,
    ]) {
      const server = new OAuthBearerSaslServer(validator());
      assert.throws(() => server.evaluate(Buffer.from(text)), SaslAuthenticationError, JSON.stringify(text));
    }
  });

  test('a second message after success is refused', () => {
    const server = new OAuthBearerSaslServer(validator());
    const message = clientFirst(unsecuredJws({ sub: 'alice', exp: nowSeconds() + 60 }));
    server.evaluate(message);
    assert.throws(() => server.evaluate(message), SaslAuthenticationError);
  });

  test("a validator's unexpected error is not turned into a challenge", () => {
    const broken: TokenValidator = {
      validate: () => {
        throw new RangeError('bug');
      },
    };
    const server = new OAuthBearerSaslServer(broken);
    assert.throws(() => server.evaluate(clientFirst('x.y.z')), RangeError);
    const refusing: TokenValidator = {
      validate: () => {
        throw new TokenValidationError('no');
      },
    };
    assertErrorChallengeThenFailure(new OAuthBearerSaslServer(refusing), clientFirst('x.y.z'));
  });
});
