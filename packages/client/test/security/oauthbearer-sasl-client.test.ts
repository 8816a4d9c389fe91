import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { OAuthBearerSaslClient, oauthBearerInitialResponse } from '../../src/security/oauthbearer-sasl-client.js';

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.';

describe('OAuthBearerSaslClient', () => {
  it('sends the RFC 7628 initial response: gs2 header, auth=Bearer, extensions, two separators', () => {
    assert.equal(oauthBearerInitialResponse(JWT, {}).toString('utf8'), `n,,\u0001auth=Bearer ${JWT}\u0001\u0001`);
    assert.deepEqual(
      oauthBearerInitialResponse('abc', { traceId: '42', team: 'red' }),
      Buffer.from('n,,\x01auth=Bearer abc\x01traceId=42\x01team=red\x01\x01', 'latin1'),
    );
  });

  it('asks the provider at each authentication and completes on an empty server answer', async () => {
    let calls = 0;
    const provider = async () => {
      calls++;
      return { value: JWT, extensions: { tenant: 'a' } };
    };
    for (let i = 0; i < 2; i++) {
      const client = new OAuthBearerSaslClient(provider);
      const token = await client.initialResponse();
      assert.ok(token.toString().endsWith('\x01tenant=a\x01\x01'));
      assert.equal(client.evaluateChallenge(Buffer.alloc(0)), undefined);
      assert.equal(client.isComplete, true);
    }
    assert.equal(calls, 2);
  });

  it('acknowledges an RFC 7628 error status with %x01 and keeps it for the failure message', async () => {
    const client = new OAuthBearerSaslClient(() => ({ value: JWT }));
    await client.initialResponse();
    const status = '{"status":"invalid_token"}';
    assert.deepEqual(client.evaluateChallenge(Buffer.from(status)), Buffer.from([1]));
    assert.equal(client.failureDetail, status);
    assert.equal(client.isComplete, false);
  });

  it('fails with SASL_AUTHENTICATION_FAILED for a bad, expired or missing token, or a failing provider', async () => {
    const now = 1_700_000_000_000;
    const cases: [() => unknown, RegExp][] = [
      [() => ({ value: '' }), /no value/],
      [() => ({ value: 'has space' }), /bearer token/],
      [() => ({ value: JWT, lifetimeMs: now - 1 }), /expired/],
      [() => ({ value: JWT, extensions: { auth: 'x' } }), /reserved/],
      [() => ({ value: JWT, extensions: { 'bad-key': 'x' } }), /letters only/],
      [() => undefined, /no token object/],
      [
        () => {
          throw new Error('idp down');
        },
        /provider failed: idp down/,
      ],
    ];
    for (const [provider, pattern] of cases) {
      const client = new OAuthBearerSaslClient(provider as never, () => now);
      await assert.rejects(
        client.initialResponse(),
        (e: unknown) =>
          e instanceof KafkaError && e.errorCode === ErrorCode.SASL_AUTHENTICATION_FAILED && pattern.test(e.message),
        String(pattern),
      );
    }
  });
});
