import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasRole } from '../../src/security/roles.js';
import { SessionStore } from '../../src/security/session-store.js';

test('sessions expire after the idle timeout and after the max age, on a fake clock', () => {
  let now = 1000;
  const store = new SessionStore({ idleTimeoutMs: 100, maxAgeMs: 250 }, () => now);
  const s = store.create('alice', 'admin');
  assert.notEqual(s.id, s.csrfToken);
  assert.equal(s.id.length, 43);
  now += 99;
  assert.equal(store.touch(s.id)?.user, 'alice');
  now += 99;
  assert.equal(store.touch(s.id)?.role, 'admin', 'touching restarts the idle clock');
  now += 60; // 258 ms after login: past the max age although used 60 ms ago
  assert.equal(store.touch(s.id), undefined);
  assert.equal(store.size, 0);
  const t = store.create('bob', 'viewer');
  now += 100;
  assert.equal(store.touch(t.id), undefined, 'idle for the whole timeout');
});

test('deleted and unknown ids have no session', () => {
  const store = new SessionStore({ idleTimeoutMs: 1000, maxAgeMs: 1000 });
  const s = store.create('alice', 'viewer');
  store.delete(s.id);
  assert.equal(store.touch(s.id), undefined);
  assert.equal(store.touch('nope'), undefined);
});

test('roles are ordered viewer < operator < admin', () => {
  assert.ok(hasRole('admin', 'viewer'));
  assert.ok(hasRole('operator', 'operator'));
  assert.ok(!hasRole('viewer', 'operator'));
  assert.ok(!hasRole('operator', 'admin'));
});
