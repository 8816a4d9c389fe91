/**
 * The SCRAM client state machine against RFC 7677's SCRAM-SHA-256 example (section 3), byte for
 * byte, and against a server built from the same primitives for SHA-512; then the ways a server
 * answer is refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode } from '../../src/errors/error-codes.js';
import { KafkaError } from '../../src/errors/kafka-error.js';
import { createScramCredential, scramHash, scramHmac, xorBytes } from '../../src/sasl/scram.js';
import { ScramClient } from '../../src/sasl/scram-client.js';

const CLIENT_NONCE = 'rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

function rfcClient(): ScramClient {
  return new ScramClient('SCRAM-SHA-256', 'user', 'pencil', CLIENT_NONCE);
}

function refusal(message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof KafkaError);
    assert.equal(err.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.match(err.message, message);
    return true;
  };
}

describe('ScramClient', () => {
  test('RFC 7677 SCRAM-SHA-256 example: every client message, and the server signature verified', () => {
    const client = rfcClient();
    assert.equal(client.firstMessage().toString('utf8'), `n,,n=user,r=${CLIENT_NONCE}`);
    assert.equal(client.finalMessage(Buffer.from(SERVER_FIRST)).toString('utf8'), CLIENT_FINAL);
    assert.equal(client.isComplete, false);
    client.verifyServerFinal(Buffer.from(SERVER_FINAL));
    assert.equal(client.isComplete, true);
  });

  test('SCRAM-SHA-512 against a server computing from the stored credential', () => {
    const credential = createScramCredential('SCRAM-SHA-512', 'broker-secret', 4096);
    const client = new ScramClient('SCRAM-SHA-512', 'a=b,c', 'broker-secret');
    const first = client.firstMessage().toString('utf8');
    assert.match(first, /^n,,n=a=3Db=2Cc,r=[^,]+$/);
    const clientFirstBare = first.slice(3);
    const nonce = `${/r=([^,]+)$/.exec(first)?.[1]}server-part`;
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=4096`;
    const final = client.finalMessage(Buffer.from(serverFirst)).toString('utf8');
    const withoutProof = final.slice(0, final.lastIndexOf(',p='));
    const proof = Buffer.from(final.slice(final.lastIndexOf(',p=') + 3), 'base64');
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const clientKey = xorBytes(proof, scramHmac('SCRAM-SHA-512', credential.storedKey, authMessage));
    assert.deepEqual(scramHash('SCRAM-SHA-512', clientKey), credential.storedKey, 'the proof checks out');
    const signature = scramHmac('SCRAM-SHA-512', credential.serverKey, authMessage).toString('base64');
    client.verifyServerFinal(Buffer.from(`v=${signature}`));
    assert.equal(client.isComplete, true);
  });

  test('a wrong server signature, or a server error, fails the exchange', () => {
    const forged = rfcClient();
    forged.firstMessage();
    forged.finalMessage(Buffer.from(SERVER_FIRST));
    assert.throws(
      () => forged.verifyServerFinal(Buffer.from(`v=${Buffer.alloc(32).toString('base64')}`)),
      refusal(/server signature/),
    );
    assert.equal(forged.isComplete, false);
    const refused = rfcClient();
    refused.firstMessage();
    refused.finalMessage(Buffer.from(SERVER_FIRST));
    assert.throws(() => refused.verifyServerFinal(Buffer.from('e=invalid-proof')), refusal(/invalid-proof/));
  });

  test('server-first messages that are refused', () => {
    const cases: [string, RegExp][] = [
      ['r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096', /nonce/],
      [`r=${CLIENT_NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`, /nonce/],
      [`r=${CLIENT_NONCE}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095`, /iterations/],
      [`r=${CLIENT_NONCE}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000000`, /iterations/],
      [`r=${CLIENT_NONCE}x,i=4096`, /server first/],
      [`m=ext,r=${CLIENT_NONCE}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`, /server first/],
      ['garbage', /server first/],
    ];
    for (const [serverFirst, message] of cases) {
      const client = rfcClient();
      client.firstMessage();
      assert.throws(() => client.finalMessage(Buffer.from(serverFirst)), refusal(message), serverFirst);
    }
  });

  test('steps out of order are refused', () => {
    const client = rfcClient();
    assert.throws(() => client.finalMessage(Buffer.from(SERVER_FIRST)), refusal(/state client-first/));
    const again = rfcClient();
    again.firstMessage();
    assert.throws(() => again.firstMessage(), refusal(/state server-first/));
  });
});
