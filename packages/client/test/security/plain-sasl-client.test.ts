import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlainSaslClient, plainToken } from '../../src/security/plain-sasl-client.js';

describe('PlainSaslClient', () => {
  it('sends RFC 4616 authzid NUL authcid NUL password with an empty authzid, UTF-8', async () => {
    const client = new PlainSaslClient('alice', 'alice-secret');
    assert.equal(client.isComplete, false);
    const token = await client.initialResponse();
    assert.deepEqual(token, Buffer.from([0, ...Buffer.from('alice'), 0, ...Buffer.from('alice-secret')]));
    assert.equal(client.isComplete, true);
    assert.equal(client.evaluateChallenge(Buffer.alloc(0)), undefined, 'nothing more to send');
  });

  it('encodes non-ASCII names and passwords as UTF-8', () => {
    assert.equal(plainToken('zoë', 'pässword').toString('hex'), '007a6fc3ab0070c3a47373776f7264');
  });

  it('refuses a challenge before the initial response', () => {
    assert.throws(() => new PlainSaslClient('a', 'b').evaluateChallenge(Buffer.alloc(0)), /ILLEGAL|before/);
  });
});
