import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordHeader } from '@samsa/client';
import { createJsonDeserializer } from '../../src/serde/json-deserializer.js';
import { JsonTypeMapper } from '../../src/serde/json-type-mapper.js';

class Order {
  id = '';
  total = 0;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const typeId = (name: string, key = '__TypeId__'): RecordHeader[] => [{ key, value: Buffer.from(name, 'utf8') }];

/** Spring's exact text for an untrusted class, with the trusted packages as Java prints a Set. */
function untrusted(name: string, packages: string): string {
  return (
    `The class '${name}' is not in the trusted packages: [${packages}]. ` +
    'If you believe this class is safe to deserialize, please provide its name. ' +
    'If the serialization is only done by a trusted source, you can also enable trust all (*).'
  );
}

describe('createJsonDeserializer', () => {
  const mapper = new JsonTypeMapper().register('com.shop.Order', Order);

  it('refuses a class outside the default trusted packages with Spring\u2019s message', () => {
    const deserialize = createJsonDeserializer({ mapper });
    assert.throws(
      () => deserialize(json({ id: 'a' }), 't', typeId('com.shop.Order')),
      (e: Error) => e.message === untrusted('com.shop.Order', 'java.util, java.lang'),
    );
  });

  it('lists added packages after the defaults in the message', () => {
    const deserialize = createJsonDeserializer({ mapper, trustedPackages: 'com.other, org.acme' });
    assert.throws(
      () => deserialize(json({}), 't', typeId('com.shop.Order')),
      (e: Error) => e.message === untrusted('com.shop.Order', 'java.util, java.lang, com.other, org.acme'),
    );
  });

  it('trusts java.util and java.lang by default: unregistered trusted names give the parsed JSON', () => {
    const deserialize = createJsonDeserializer({ mapper });
    assert.deepEqual(deserialize(json({ a: 1 }), 't', typeId('java.util.LinkedHashMap')), { a: 1 });
    assert.equal(deserialize(json('text'), 't', typeId('java.lang.String')), 'text');
    // Not a sub-package: Spring's simpleMatch has no implicit sub-package rule.
    assert.throws(() => deserialize(json({}), 't', typeId('java.util.concurrent.ConcurrentHashMap')), /trusted/);
  });

  it('matches packages as Spring does: exact, or by * wildcard', () => {
    const exact = createJsonDeserializer({ mapper, trustedPackages: ['com.shop'] });
    assert.ok(exact(json({ id: 'x', total: 3 }), 't', typeId('com.shop.Order')) instanceof Order);
    assert.throws(() => exact(json({}), 't', typeId('com.shop.sub.Thing')), /not in the trusted packages/);
    const wildcard = createJsonDeserializer({ mapper, trustedPackages: ['com.*'] });
    assert.deepEqual(wildcard(json({ b: 2 }), 't', typeId('com.shop.sub.Thing')), { b: 2 });
    assert.throws(() => wildcard(json({}), 't', typeId('Unpackaged')), /'Unpackaged'/);
  });

  it('* trusts every class, and nothing added after it narrows that', () => {
    const deserialize = createJsonDeserializer({ mapper, trustedPackages: 'com.a,*,com.b' });
    assert.deepEqual(deserialize.trustedPackages, []);
    const order = deserialize(json({ id: 'o1', total: 5 }), 't', typeId('com.shop.Order'));
    assert.ok(order instanceof Order);
    assert.deepEqual(deserialize(json([1, 2]), 't', typeId('evil.Gadget')), [1, 2]);
  });

  it('type mappings: a token names a class and is trusted without the packages check', () => {
    const deserialize = createJsonDeserializer({ mapper, typeMappings: 'order:com.shop.Order' });
    const order = deserialize(json({ id: 'o2', total: 7 }), 't', typeId('order'));
    assert.ok(order instanceof Order);
    assert.equal((order as Order).id, 'o2');
    // The mapped class's package becomes trusted too, as Spring's addMappingsToTrusted does.
    assert.deepEqual(deserialize.trustedPackages, ['java.util', 'java.lang', 'com.shop', 'com.shop.*']);
  });

  it('keys read __Key_TypeId__ and ignore __TypeId__', () => {
    const deserialize = createJsonDeserializer({ mapper, isKey: true, trustedPackages: '*' });
    const headers = [...typeId('java.lang.String'), ...typeId('com.shop.Order', '__Key_TypeId__')];
    assert.ok(deserialize(json({ id: 'k' }), 't', headers) instanceof Order);
    assert.deepEqual(deserialize(json({ id: 'k' }), 't', typeId('com.shop.Order')), { id: 'k' });
  });

  it('uses the last type header, and a null header counts as none', () => {
    const deserialize = createJsonDeserializer({ mapper, trustedPackages: '*' });
    const two = [...typeId('java.util.HashMap'), ...typeId('com.shop.Order')];
    assert.ok(deserialize(json({}), 't', two) instanceof Order);
    assert.deepEqual(deserialize(json({ x: 1 }), 't', [{ key: '__TypeId__', value: null }]), { x: 1 });
  });

  it('falls back to the default type without a header; use.type.headers=false ignores headers', () => {
    const withDefault = createJsonDeserializer({ mapper, defaultType: 'com.shop.Order' });
    assert.ok(withDefault(json({ id: 'd' }), 't', []) instanceof Order);
    const ignoring = createJsonDeserializer({ mapper, defaultType: 'com.shop.Order', useTypeHeaders: false });
    assert.ok(ignoring(json({ id: 'd' }), 't', typeId('evil.Gadget')) instanceof Order);
    const factory = createJsonDeserializer({ defaultType: (j) => ({ wrapped: j }) });
    assert.deepEqual(factory(json(3), 't', []), { wrapped: 3 });
  });

  it('without header or default type gives the parsed JSON', () => {
    const deserialize = createJsonDeserializer();
    assert.deepEqual(deserialize(json({ a: [1, null, 'x'] }), 't', []), { a: [1, null, 'x'] });
  });

  it('invalid JSON throws, with the parser error as cause', () => {
    const deserialize = createJsonDeserializer();
    assert.throws(
      () => deserialize(Buffer.from('{"a":', 'utf8'), 'orders', []),
      (e: Error) => /from topic \[orders\]/.test(e.message) && e.cause instanceof SyntaxError,
    );
  });

  it('checks trust before parsing, as Spring resolves the type first', () => {
    const deserialize = createJsonDeserializer({ mapper });
    assert.throws(() => deserialize(Buffer.from('not json'), 't', typeId('com.shop.Order')), /trusted packages/);
  });
});
