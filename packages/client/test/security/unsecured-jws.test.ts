import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsecuredJwsBuilder } from '../../src/security/unsecured-jws.js';

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('unsecuredJwsBuilder', () => {
  it("builds Kafka's unsecured JWS: alg none, exp/iat in seconds, the claims, an empty signature", () => {
    const build = unsecuredJwsBuilder(
      new Map([
        ['unsecuredLoginStringClaim_sub', 'alice'],
        ['unsecuredLoginNumberClaim_level', '3'],
        ['unsecuredLoginListClaim_scope', ',read,write'],
        ['unsecuredLoginExtension_traceId', 't1'],
        ['unsecuredLoginLifetimeSeconds', '60'],
      ]),
    );
    const token = build(1_700_000_000_500);
    const [header, claims, signature, ...rest] = token.value.split('.');
    assert.equal(rest.length, 0);
    assert.equal(signature, '');
    assert.deepEqual(decode(header as string), { alg: 'none' });
    assert.deepEqual(decode(claims as string), {
      exp: 1_700_000_060.5,
      iat: 1_700_000_000.5,
      sub: 'alice',
      level: 3,
      scope: ['read', 'write'],
    });
    assert.equal(token.lifetimeMs, 1_700_000_060_500);
    assert.equal(token.principalName, 'alice');
    assert.deepEqual(token.extensions, { traceId: 't1' });
  });

  it('takes the principal from unsecuredLoginPrincipalClaimName', () => {
    const build = unsecuredJwsBuilder(
      new Map([
        ['unsecuredLoginPrincipalClaimName', 'user'],
        ['unsecuredLoginStringClaim_user', 'bob'],
      ]),
    );
    assert.equal(build(0).principalName, 'bob');
  });

  it('refuses options without a principal, with a bad lifetime or number, or setting iat/exp', () => {
    assert.throws(() => unsecuredJwsBuilder(new Map([['unsecuredLoginStringClaim_name', 'x']])), /principal.*_sub/);
    const sub: [string, string] = ['unsecuredLoginStringClaim_sub', 'a'];
    assert.throws(() => unsecuredJwsBuilder(new Map([sub, ['unsecuredLoginLifetimeSeconds', 'soon']])), /seconds/);
    assert.throws(() => unsecuredJwsBuilder(new Map([sub, ['unsecuredLoginNumberClaim_n', 'x']])), /not a number/);
    assert.throws(() => unsecuredJwsBuilder(new Map([sub, ['unsecuredLoginNumberClaim_exp', '1']])), /exp claim/);
  });
});
