import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, isPasswordHash, verifyPassword } from '../../src/security/password-hash.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

test('a hash verifies its password and no other', async () => {
  const encoded = await hashPassword('correct horse', CHEAP);
  assert.match(encoded, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.ok(isPasswordHash(encoded));
  assert.equal(await verifyPassword('correct horse', encoded), true);
  assert.equal(await verifyPassword('correct horse ', encoded), false);
  assert.equal(await verifyPassword('', encoded), false);
});

test('the default cost round-trips and salts differ', async () => {
  const [a, b] = await Promise.all([hashPassword('pw'), hashPassword('pw')]);
  assert.ok(a.startsWith('scrypt$131072$8$1$'));
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('pw', a), true);
});

test('malformed hashes never match', async () => {
  for (const bad of ['', 'plain', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA', 'bcrypt$x']) {
    assert.equal(isPasswordHash(bad), false, bad);
    assert.equal(await verifyPassword('pw', bad), false, bad);
  }
});
