import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonTypeMapper, parseTypeMappings } from '../../src/serde/json-type-mapper.js';

class Plain {
  a = 0;
  twice(): number {
    return this.a * 2;
  }
}

class WithFromJson {
  constructor(readonly value: string) {}
  static fromJSON(json: unknown): WithFromJson {
    return new WithFromJson(String((json as { v: unknown }).v));
  }
}

describe('JsonTypeMapper', () => {
  it('builds classes without running their constructor, or through fromJSON', () => {
    const mapper = new JsonTypeMapper().register('x.Plain', Plain).register('x.Custom', WithFromJson);
    const plain = mapper.construct('x.Plain', { a: 21 }) as Plain;
    assert.ok(plain instanceof Plain);
    assert.equal(plain.twice(), 42);
    const custom = mapper.construct('x.Custom', { v: 7 }) as WithFromJson;
    assert.ok(custom instanceof WithFromJson);
    assert.equal(custom.value, '7');
  });

  it('accepts factories, which only read', () => {
    const mapper = new JsonTypeMapper().register('x.Point', (json) => ({ ...(json as object), kind: 'point' }));
    assert.deepEqual(mapper.construct('x.Point', { x: 1 }), { x: 1, kind: 'point' });
    assert.equal(mapper.typeNameOf({ x: 1 }), undefined);
    assert.equal(mapper.construct('x.Unknown', {}), undefined);
    assert.deepEqual(mapper.typeNames(), ['x.Point']);
  });

  it('re-registering a name moves it to the new class', () => {
    class Other {}
    const mapper = new JsonTypeMapper().register('x.T', Plain).register('x.T', Other);
    assert.equal(mapper.typeNameOf(new Plain()), undefined);
    assert.equal(mapper.typeNameOf(new Other()), 'x.T');
    assert.throws(() => mapper.register(' ', Other), /must not be empty/);
  });
});

describe('parseTypeMappings', () => {
  it('parses Spring\u2019s comma-separated token:class list', () => {
    assert.deepEqual(
      [...parseTypeMappings(' cat:com.mycat.Cat , hat:com.myhat.Hat,')],
      [
        ['cat', 'com.mycat.Cat'],
        ['hat', 'com.myhat.Hat'],
      ],
    );
    assert.deepEqual([...parseTypeMappings({ dog: 'com.Dog' })], [['dog', 'com.Dog']]);
    assert.throws(() => parseTypeMappings('nocolon'), /exactly one ':'/);
  });
});
