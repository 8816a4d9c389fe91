import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ErrorCode,
  KafkaError,
  type ScramMechanismName,
  scramClientKey,
  scramHash,
  scramHmac,
  scramSaltedPassword,
  scramServerKey,
  xorBytes,
} from '@samsa/protocol';
import { ScramSaslClient } from '../../src/security/scram-sasl-client.js';

// RFC 7677 §3: the SCRAM-SHA-256 example exchange.
const RFC = {
  nonce: 'rOprNGfwEbeRWgbNEkqO',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

const failed = (pattern: RegExp) => (error: unknown) =>
  error instanceof KafkaError &&
  error.errorCode === ErrorCode.SASL_AUTHENTICATION_FAILED &&
  pattern.test(error.message);

describe('ScramSaslClient', () => {
  it('produces RFC 7677 SCRAM-SHA-256 messages byte for byte and accepts its server signature', async () => {
    const client = new ScramSaslClient('SCRAM-SHA-256', 'user', 'pencil', RFC.nonce);
    assert.equal((await client.initialResponse()).toString('utf8'), RFC.clientFirst);
    const final = client.evaluateChallenge(Buffer.from(RFC.serverFirst));
    assert.equal(final?.toString('utf8'), RFC.clientFinal);
    assert.equal(client.isComplete, false);
    assert.equal(client.evaluateChallenge(Buffer.from(RFC.serverFinal)), undefined);
    assert.equal(client.isComplete, true);
  });

  it('rejects a server signature that does not match (a server without the credential)', async () => {
    const client = new ScramSaslClient('SCRAM-SHA-256', 'user', 'pencil', RFC.nonce);
    await client.initialResponse();
    client.evaluateChallenge(Buffer.from(RFC.serverFirst));
    const forged = `v=${Buffer.alloc(32, 7).toString('base64')}`;
    assert.throws(() => client.evaluateChallenge(Buffer.from(forged)), failed(/signature/i));
    assert.equal(client.isComplete, false);
  });

  it('rejects iteration counts below 4096', async () => {
    const client = new ScramSaslClient('SCRAM-SHA-256', 'user', 'pencil', RFC.nonce);
    await client.initialResponse();
    const weak = RFC.serverFirst.replace('i=4096', 'i=4095');
    assert.throws(() => client.evaluateChallenge(Buffer.from(weak)), failed(/iterations/i));
  });

  it('rejects a server nonce that does not extend the client nonce, and a server error', async () => {
    const a = new ScramSaslClient('SCRAM-SHA-256', 'user', 'pencil', RFC.nonce);
    await a.initialResponse();
    assert.throws(
      () => a.evaluateChallenge(Buffer.from('r=somebodyElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')),
      failed(/nonce/i),
    );
    const b = new ScramSaslClient('SCRAM-SHA-256', 'user', 'pencil', RFC.nonce);
    await b.initialResponse();
    assert.throws(() => b.evaluateChallenge(Buffer.from('e=unknown-user')), failed(/unknown-user/));
  });

  it('escapes = and , in the user name (RFC 5802 saslname)', async () => {
    const client = new ScramSaslClient('SCRAM-SHA-512', 'a=b,c', 'x', 'nonce');
    assert.equal((await client.initialResponse()).toString(), 'n,,n=a=3Db=2Cc,r=nonce');
  });

  it('completes SCRAM-SHA-512 against a server computed from the same primitives', async () => {
    const mechanism: ScramMechanismName = 'SCRAM-SHA-512';
    const salt = Buffer.from('salt-of-sixteen!');
    const client = new ScramSaslClient(mechanism, 'alice', 'alice-secret', 'clientnonce');
    const clientFirstBare = (await client.initialResponse()).toString().slice('n,,'.length);
    const serverFirst = `r=clientnonceSERVER,s=${salt.toString('base64')},i=4096`;
    const clientFinal = client.evaluateChallenge(Buffer.from(serverFirst))?.toString() ?? '';
    const withoutProof = clientFinal.slice(0, clientFinal.indexOf(',p='));
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    // The server's check: ClientKey = proof XOR HMAC(StoredKey, AuthMessage), H(ClientKey) = StoredKey.
    const salted = scramSaltedPassword(mechanism, 'alice-secret', salt, 4096);
    const storedKey = scramHash(mechanism, scramClientKey(mechanism, salted));
    const proof = Buffer.from(clientFinal.slice(clientFinal.indexOf(',p=') + 3), 'base64');
    const recovered = xorBytes(proof, scramHmac(mechanism, storedKey, authMessage));
    assert.deepEqual(scramHash(mechanism, recovered), storedKey);
    const signature = scramHmac(mechanism, scramServerKey(mechanism, salted), authMessage);
    client.evaluateChallenge(Buffer.from(`v=${signature.toString('base64')}`));
    assert.equal(client.isComplete, true);
  });
});
