import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signBody, verifyInternalRequest } from '../../src/distributed/internal-request-signature.js';

const key = Buffer.alloc(32, 7);
const body = '[{"task.class":"T"}]';

test("a signature is the base64 HMAC of the body, as Java's Mac computes it", () => {
  assert.equal(signBody(key, 'HmacSHA256', body), createHmac('sha256', key).update(body).digest('base64'));
  verifyInternalRequest({ algorithm: 'HmacSHA256', signature: signBody(key, 'HmacSHA256', body), body }, key, [
    'HmacSHA256',
  ]);
});

test("bad internal requests get Kafka's status and message", () => {
  const signature = signBody(key, 'HmacSHA256', body);
  assert.throws(
    () => verifyInternalRequest({ algorithm: undefined, signature: undefined, body }, key, ['HmacSHA256']),
    {
      statusCode: 400,
      message: 'Internal request missing required signature',
    },
  );
  assert.throws(() => verifyInternalRequest({ algorithm: 'HmacSHA1', signature, body }, key, ['HmacSHA256']), {
    statusCode: 400,
    message: /^This worker does not support the 'HmacSHA1' key signing algorithm used by other workers/,
  });
  assert.throws(
    () => verifyInternalRequest({ algorithm: 'HmacSHA256', signature, body: `${body} ` }, key, ['HmacSHA256']),
    {
      statusCode: 403,
      message: 'Internal request contained invalid signature.',
    },
  );
  assert.throws(() => verifyInternalRequest({ algorithm: 'HmacSHA256', signature, body }, undefined, ['HmacSHA256']), {
    statusCode: 503,
  });
});
