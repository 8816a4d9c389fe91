import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSerdeFromProperties } from '../../src/serde/json-serde-from-properties.js';
import { JsonTypeMapper } from '../../src/serde/json-type-mapper.js';

class User {
  name = '';
}

describe('jsonSerdeFromProperties', () => {
  const mapper = new JsonTypeMapper().register('com.kun.kafka.bean.UserBean', User);

  it('reads the spring.json.* keys of the deserializer', () => {
    const { deserializer } = jsonSerdeFromProperties(
      {
        'spring.json.trusted.packages': 'com.acme',
        'spring.json.type.mapping': 'user:com.kun.kafka.bean.UserBean',
        'spring.json.value.default.type': 'com.kun.kafka.bean.UserBean',
        'spring.json.key.default.type': 'java.lang.String',
      },
      false,
      mapper,
    );
    assert.deepEqual(deserializer.trustedPackages, [
      'java.util',
      'java.lang',
      'com.kun.kafka.bean',
      'com.kun.kafka.bean.*',
      'com.acme',
    ]);
    const typed = [{ key: '__TypeId__', value: Buffer.from('user') }];
    assert.ok(deserializer(Buffer.from('{"name":"kun"}'), 't', typed) instanceof User);
    assert.ok(deserializer(Buffer.from('{"name":"kun"}'), 't', []) instanceof User);
  });

  it('takes the key default type for keys', () => {
    const { deserializer } = jsonSerdeFromProperties(
      { 'spring.json.key.default.type': 'com.kun.kafka.bean.UserBean' },
      true,
      mapper,
    );
    assert.equal(deserializer.isKey, true);
    assert.ok(deserializer(Buffer.from('{}'), 't', []) instanceof User);
  });

  it('use.type.headers=false and add.type.headers=false, read as Boolean.parseBoolean', () => {
    const { serializer, deserializer } = jsonSerdeFromProperties(
      { 'spring.json.use.type.headers': 'FALSE', 'spring.json.add.type.headers': 'no' },
      false,
      mapper,
    );
    assert.equal(serializer.addTypeInfo, false);
    const typed = [{ key: '__TypeId__', value: Buffer.from('evil.Gadget') }];
    assert.deepEqual(deserializer(Buffer.from('{"a":1}'), 't', typed), { a: 1 });
  });

  it('the serializer writes mapped tokens; defaults add type headers', () => {
    const { serializer } = jsonSerdeFromProperties(
      { 'spring.json.type.mapping': 'user:com.kun.kafka.bean.UserBean' },
      false,
      mapper,
    );
    assert.equal(serializer.typeIdOf(new User()), 'user');
  });

  it('refuses Java type methods, naming the key', () => {
    assert.throws(
      () => jsonSerdeFromProperties({ 'spring.json.value.type.method': 'com.X.type' }, false),
      /spring\.json\.value\.type\.method/,
    );
  });
});
