import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordHeader } from '@samsa/client';
import { createJsonDeserializer } from '../../src/serde/json-deserializer.js';
import { createJsonSerializer, withTypeHeaders } from '../../src/serde/json-serializer.js';
import { JsonTypeMapper } from '../../src/serde/json-type-mapper.js';

/**
 * Bytes as Spring Kafka's `JsonSerializer` (Jackson's default mapper) writes them for
 *
 *   public class UserBean { private String name; private int age; ... }   // com.kun.kafka.bean
 *   kafkaTemplate.send("test-topic", new UserBean("kun", 18));
 *
 * Jackson writes properties in declaration order without whitespace, and the serializer adds one
 * header, `__TypeId__`, holding the class's binary name in UTF-8. Typed here as hex, not derived
 * from the code under test.
 */
const SPRING_VALUE = Buffer.from('7b226e616d65223a226b756e222c22616765223a31387d', 'hex'); // {"name":"kun","age":18}
const SPRING_HEADERS: readonly RecordHeader[] = [
  { key: '__TypeId__', value: Buffer.from('636f6d2e6b756e2e6b61666b612e6265616e2e557365724265616e', 'hex') },
];

class UserBean {
  name: string;
  age: number;
  constructor(name: string, age: number) {
    this.name = name;
    this.age = age;
  }
  greeting(): string {
    return `hello ${this.name}`;
  }
}

function mapper(): JsonTypeMapper {
  return new JsonTypeMapper().register('com.kun.kafka.bean.UserBean', UserBean);
}

describe('interop with Spring Kafka JsonSerializer/JsonDeserializer', () => {
  it('reads the bytes and header a Spring producer writes into the registered class', () => {
    const deserialize = createJsonDeserializer<UserBean>({ mapper: mapper(), trustedPackages: 'com.kun.kafka.bean' });
    const user = deserialize(SPRING_VALUE, 'test-topic', SPRING_HEADERS);
    assert.ok(user instanceof UserBean);
    assert.equal(user.name, 'kun');
    assert.equal(user.age, 18);
    assert.equal(user.greeting(), 'hello kun');
  });

  it('writes what Spring writes for the same object, byte for byte (value and header)', () => {
    const serialize = createJsonSerializer<UserBean>({ mapper: mapper() });
    const user = new UserBean('kun', 18);
    assert.deepEqual(Buffer.from(serialize(user, 'test-topic', [])), SPRING_VALUE);
    const record = withTypeHeaders({ topic: 'test-topic', value: user }, { value: serialize });
    assert.deepEqual(record.headers, [{ key: '__TypeId__', value: SPRING_HEADERS[0]?.value }]);
    const header = serialize.typeHeaderFor(user);
    assert.equal(header?.key, '__TypeId__');
    assert.deepEqual(header?.value, SPRING_HEADERS[0]?.value);
  });

  it('round-trips through our own serializer and deserializer with the same mapper', () => {
    const m = mapper();
    const serialize = createJsonSerializer<UserBean>({ mapper: m });
    const deserialize = createJsonDeserializer<UserBean>({ mapper: m, trustedPackages: ['com.kun.*'] });
    const user = new UserBean('kun', 18);
    const record = withTypeHeaders({ topic: 't', value: user }, { value: serialize });
    const headers = (record.headers ?? []) as RecordHeader[];
    const back = deserialize(Buffer.from(serialize(user, 't', headers)), 't', headers);
    assert.ok(back instanceof UserBean);
    assert.deepEqual({ ...back }, { name: 'kun', age: 18 });
  });

  it('Spring without a header but with spring.json.value.default.type reads the same bytes', () => {
    const deserialize = createJsonDeserializer<UserBean>({
      mapper: mapper(),
      defaultType: 'com.kun.kafka.bean.UserBean',
    });
    const user = deserialize(SPRING_VALUE, 'test-topic', []);
    assert.ok(user instanceof UserBean);
    // The default type's package is trusted (Spring adds it and its sub-packages).
    assert.deepEqual(deserialize.trustedPackages, [
      'java.util',
      'java.lang',
      'com.kun.kafka.bean',
      'com.kun.kafka.bean.*',
    ]);
    assert.ok(deserialize(SPRING_VALUE, 'test-topic', SPRING_HEADERS) instanceof UserBean);
  });
});
