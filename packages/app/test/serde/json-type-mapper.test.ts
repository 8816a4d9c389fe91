import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJsonDeserializer } from '../../src/serde/json-deserializer.js';
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

  it('a JSON "__proto__" field cannot replace the instance\u2019s class', () => {
    class Evil {
      steal(): string {
        return 'stolen';
      }
    }
    const mapper = new JsonTypeMapper().register('x.Plain', Plain).register('x.Evil', Evil);
    // JSON.parse makes "__proto__" an ordinary own key, as any JSON from the wire would.
    const parsed = JSON.parse('{"a":21,"__proto__":{"twice":"not a function","polluted":true}}') as unknown;
    assert.ok(Object.hasOwn(parsed as object, '__proto__'), 'the attack shape: an own "__proto__" key');
    const plain = mapper.construct('x.Plain', parsed) as Plain & { polluted?: unknown };
    assert.equal(Object.getPrototypeOf(plain), Plain.prototype, 'the prototype is still the class');
    assert.ok(plain instanceof Plain);
    assert.equal(plain.twice(), 42, 'class methods still work');
    assert.equal(plain.polluted, undefined);
    assert.equal(Object.hasOwn(plain, '__proto__'), false, 'the field is dropped, not copied');
    assert.equal(mapper.typeNameOf(plain), 'x.Plain', 'it still serializes under its own name');
    assert.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype untouched');

    // Through Spring's JsonDeserializer, with a prototype taken from another registered class.
    const deserialize = createJsonDeserializer({ mapper, trustedPackages: '*' });
    const viaWire = deserialize(
      Buffer.from('{"a":1,"__proto__":{"constructor":{"name":"Evil"},"steal":null}}', 'utf8'),
      't',
      [{ key: '__TypeId__', value: Buffer.from('x.Plain', 'utf8') }],
    ) as Plain;
    assert.equal(Object.getPrototypeOf(viaWire), Plain.prototype);
    assert.equal(viaWire.a, 1);
    assert.equal(mapper.typeNameOf(viaWire), 'x.Plain');
  });

  it('copies fields as assignments (setters run), like Object.assign', () => {
    class WithSetter {
      seen: unknown[] = [];
      set name(value: string) {
        this.seen = [...(this.seen ?? []), value];
      }
    }
    const mapper = new JsonTypeMapper().register('x.S', WithSetter);
    const built = mapper.construct('x.S', JSON.parse('{"name":"kun","age":18}')) as WithSetter & { age?: number };
    assert.deepEqual(built.seen, ['kun']);
    assert.equal(built.age, 18);
    assert.ok(mapper.construct('x.S', null) instanceof WithSetter, 'null JSON: an empty instance');
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
