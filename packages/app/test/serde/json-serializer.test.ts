import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringSerializer } from '@samsa/client';
import { createJsonSerializer, isJsonSerializer, withTypeHeaders } from '../../src/serde/json-serializer.js';
import { JsonTypeMapper } from '../../src/serde/json-type-mapper.js';

class Point {
  x = 0;
  y = 0;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
}
class Point3 extends Point {
  z = 0;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('createJsonSerializer', () => {
  const mapper = new JsonTypeMapper().register('com.geo.Point', Point);

  it('writes compact UTF-8 JSON in property order, nulls included', () => {
    const serialize = createJsonSerializer();
    assert.equal(text(serialize({ b: 1, a: null, s: 'é' }, 't', [])), '{"b":1,"a":null,"s":"é"}');
    assert.equal(text(serialize([1, 'two'], 't', [])), '[1,"two"]');
    assert.equal(text(serialize('plain', 't', [])), '"plain"');
  });

  it('names an instance of a registered class, exactly that class only', () => {
    const serialize = createJsonSerializer<Point>({ mapper });
    assert.equal(serialize.typeIdOf(new Point(1, 2)), 'com.geo.Point');
    assert.equal(serialize.typeIdOf(new Point3(1, 2)), undefined);
    assert.equal(serialize.typeIdOf({ x: 1, y: 2 }), undefined);
  });

  it('typeName option names unregistered values; a registered class still wins', () => {
    const serialize = createJsonSerializer<unknown>({ mapper, typeName: 'java.util.LinkedHashMap' });
    assert.equal(serialize.typeIdOf({ a: 1 }), 'java.util.LinkedHashMap');
    assert.equal(serialize.typeIdOf(new Point(0, 0)), 'com.geo.Point');
    const perValue = createJsonSerializer<unknown>({
      typeName: (v) => (typeof v === 'string' ? 'java.lang.String' : undefined),
    });
    assert.equal(perValue.typeIdOf('s'), 'java.lang.String');
    assert.equal(perValue.typeIdOf(1), undefined);
  });

  it('spring.json.type.mapping: the token is written instead of the class name', () => {
    const serialize = createJsonSerializer<Point>({ mapper, typeMappings: 'point:com.geo.Point, other:x.Y' });
    assert.deepEqual(serialize.typeHeaderFor(new Point(1, 1)), { key: '__TypeId__', value: Buffer.from('point') });
    assert.throws(() => createJsonSerializer({ typeMappings: 'a:b:c' }), /exactly one ':'/);
  });

  it('keys use __Key_TypeId__; add.type.headers=false writes none', () => {
    const keys = createJsonSerializer<Point>({ mapper, isKey: true });
    assert.equal(keys.typeHeaderFor(new Point(1, 1))?.key, '__Key_TypeId__');
    const off = createJsonSerializer<Point>({ mapper, addTypeInfo: false });
    assert.equal(off.typeHeaderFor(new Point(1, 1)), undefined);
    assert.equal(text(off(new Point(1, 1), 't', [])), '{"x":1,"y":1}');
  });

  it('cannot write what JSON cannot hold', () => {
    const serialize = createJsonSerializer<unknown>();
    assert.throws(() => serialize(10n, 'orders', []), /Can't serialize data \[10\] for topic \[orders\]/);
    assert.throws(() => serialize(undefined, 'orders', []), /Can't serialize/);
  });

  it('isJsonSerializer tells ours from other serializers', () => {
    assert.equal(isJsonSerializer(createJsonSerializer()), true);
    assert.equal(isJsonSerializer(stringSerializer), false);
    assert.equal(isJsonSerializer('json'), false);
  });
});

describe('withTypeHeaders', () => {
  const mapper = new JsonTypeMapper().register('com.geo.Point', Point);
  const value = createJsonSerializer<Point>({ mapper });
  const key = createJsonSerializer<Point>({ mapper, isKey: true });

  it('adds key and value type headers and keeps the other headers', () => {
    const record = withTypeHeaders(
      { topic: 't', key: new Point(0, 0), value: new Point(1, 1), headers: { trace: 'abc' } },
      { key, value },
    );
    assert.deepEqual(record.headers, [
      { key: 'trace', value: 'abc' },
      { key: '__Key_TypeId__', value: Buffer.from('com.geo.Point') },
      { key: '__TypeId__', value: Buffer.from('com.geo.Point') },
    ]);
  });

  it('replaces a stale type header instead of adding a second one', () => {
    const record = withTypeHeaders(
      { topic: 't', value: new Point(1, 1), headers: [{ key: '__TypeId__', value: 'old.Type' }] },
      { value },
    );
    assert.deepEqual(record.headers, [{ key: '__TypeId__', value: Buffer.from('com.geo.Point') }]);
  });

  it('returns the record itself when nothing is to be added', () => {
    const plain = { topic: 't', value: { x: 1 } };
    assert.equal(withTypeHeaders(plain, { value: createJsonSerializer() }), plain);
    const tombstone = { topic: 't', key: null, value: null };
    assert.equal(withTypeHeaders(tombstone, { key, value }), tombstone);
    const other = { topic: 't', value: 'v' };
    assert.equal(withTypeHeaders(other, { value: stringSerializer }), other);
  });
});
