import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringDeserializer } from '@samsa/client';
import { DeserializationException, isDeserializationException } from '../../src/serde/deserialization-exception.js';
import { errorHandlingDeserializer } from '../../src/serde/error-handling-deserializer.js';
import { createJsonDeserializer } from '../../src/serde/json-deserializer.js';

describe('errorHandlingDeserializer', () => {
  const headers = [{ key: 'h', value: Buffer.from('1') }];

  it('passes the delegate result through', () => {
    const deserialize = errorHandlingDeserializer(stringDeserializer);
    assert.equal(deserialize(Buffer.from('ok'), 't', []), 'ok');
  });

  it('turns a delegate failure into a DeserializationException with the raw bytes', () => {
    const deserialize = errorHandlingDeserializer(createJsonDeserializer(), { isKey: true });
    const data = Buffer.from('{oops', 'utf8');
    let caught: unknown;
    try {
      deserialize(data, 'orders', headers);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof DeserializationException);
    assert.ok(isDeserializationException(caught));
    assert.equal(caught.name, 'DeserializationException');
    assert.equal(caught.message, 'failed to deserialize');
    assert.equal(caught.data, data);
    assert.equal(caught.isKey, true);
    assert.equal(caught.topic, 'orders');
    assert.equal(caught.headers, headers);
    assert.ok(caught.cause instanceof Error && /Can't deserialize/.test(caught.cause.message));
  });

  it('carries an untrusted-type failure as its cause', () => {
    const deserialize = errorHandlingDeserializer(createJsonDeserializer());
    const typed = [{ key: '__TypeId__', value: Buffer.from('evil.Gadget') }];
    assert.throws(
      () => deserialize(Buffer.from('{}'), 't', typed),
      (e: unknown) =>
        isDeserializationException(e) && !e.isKey && /not in the trusted packages/.test((e.cause as Error).message),
    );
  });

  it('delivers the failedDeserializationFunction result instead of throwing', () => {
    const deserialize = errorHandlingDeserializer<unknown>(createJsonDeserializer(), {
      failedDeserializationFunction: (info) => ({ bad: info.data.toString(), key: info.isForKey, why: info.exception }),
    });
    const result = deserialize(Buffer.from('nope'), 't', []) as { bad: string; key: boolean; why: Error };
    assert.equal(result.bad, 'nope');
    assert.equal(result.key, false);
    assert.ok(result.why instanceof Error && !isDeserializationException(result.why));
  });

  it('isDeserializationException recognises a look-alike from another copy of the package', () => {
    const foreign = Object.assign(new Error('failed to deserialize'), {
      name: 'DeserializationException',
      data: Buffer.alloc(0),
      isKey: false,
    });
    assert.equal(isDeserializationException(foreign), true);
    assert.equal(isDeserializationException(new Error('x')), false);
    assert.equal(isDeserializationException({ name: 'DeserializationException' }), false);
  });
});
