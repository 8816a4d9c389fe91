import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { desanitize, sanitize } from '../../src/zk/sanitizer.js';

describe('Sanitizer', () => {
  test("leaves Java URLEncoder's unreserved characters alone", () => {
    assert.equal(sanitize('alice'), 'alice');
    assert.equal(sanitize('Svc_1.prod-eu'), 'Svc_1.prod-eu');
  });

  test("writes everything else as %XX of its UTF-8 bytes, space and '*' as Kafka does", () => {
    // Kafka's SanitizerTest: "user1/name:@" and a space as %20, '*' as %2A, '+' as %2B.
    assert.equal(sanitize('User:alice bob*x+y/é'), 'User%3Aalice%20bob%2Ax%2By%2F%C3%A9');
    assert.equal(sanitize('<default>'), '%3Cdefault%3E');
    assert.equal(sanitize('😀'), '%F0%9F%98%80');
  });

  test('desanitize reads what sanitize wrote, and a + as a space (URLDecoder)', () => {
    assert.equal(desanitize('User%3Aalice%20bob%2Ax%2By%2F%C3%A9'), 'User:alice bob*x+y/é');
    assert.equal(desanitize('a+b'), 'a b');
    assert.throws(() => desanitize('bad%zz'), URIError);
  });

  test('round-trips any string, and a sanitized name is a single znode name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const sanitized = sanitize(name);
        assert.match(sanitized, /^[A-Za-z0-9._%-]*$/);
        assert.equal(desanitize(sanitized), name);
      }),
    );
  });
});
