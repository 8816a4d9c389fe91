import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bytes } from '../../src/serde/bytes.js';
import { SerializationException } from '../../src/serde/serde.js';
import { Serdes, serdeByClassName } from '../../src/serde/serdes.js';

// Expected bytes are what Java's org.apache.kafka.common.serialization serializers write
// (ByteBuffer.allocate(n).putLong(..) etc.: big-endian two's complement / IEEE 754).

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

test('String is UTF-8 and null stays null', () => {
  const s = Serdes.String();
  assert.equal(hex(s.serializer().serialize('t', 'héllo')), '68c3a96c6c6f');
  assert.equal(s.deserializer().deserialize('t', Buffer.from('68c3a96c6c6f', 'hex')), 'héllo');
  assert.equal(s.serializer().serialize('t', null), null);
  assert.equal(s.deserializer().deserialize('t', null), null);
});

test('Long is 8 bytes big-endian two complement', () => {
  const s = Serdes.Long();
  assert.equal(hex(s.serializer().serialize('t', 1n)), '0000000000000001');
  assert.equal(hex(s.serializer().serialize('t', 258n)), '0000000000000102');
  assert.equal(hex(s.serializer().serialize('t', -1n)), 'ffffffffffffffff');
  assert.equal(hex(s.serializer().serialize('t', 9223372036854775807n)), '7fffffffffffffff');
  assert.equal(hex(s.serializer().serialize('t', -9223372036854775808n)), '8000000000000000');
  assert.equal(s.deserializer().deserialize('t', Buffer.from('0000000000000102', 'hex')), 258n);
  assert.equal(s.deserializer().deserialize('t', Buffer.from('fffffffffffffffe', 'hex')), -2n);
  assert.throws(
    () => s.deserializer().deserialize('t', Buffer.alloc(7)),
    (e: unknown) => e instanceof SerializationException && /LongDeserializer is not 8/.test(e.message),
  );
});

test('Integer is 4 bytes big-endian', () => {
  const s = Serdes.Integer();
  assert.equal(hex(s.serializer().serialize('t', 1)), '00000001');
  assert.equal(hex(s.serializer().serialize('t', -2)), 'fffffffe');
  assert.equal(hex(s.serializer().serialize('t', 2147483647)), '7fffffff');
  assert.equal(s.deserializer().deserialize('t', Buffer.from('80000000', 'hex')), -2147483648);
  assert.throws(() => s.deserializer().deserialize('t', Buffer.alloc(8)), SerializationException);
});

test('Short is 2 bytes, Float 4, Double 8 (IEEE 754, big-endian)', () => {
  assert.equal(hex(Serdes.Short().serializer().serialize('t', -1)), 'ffff');
  assert.equal(hex(Serdes.Float().serializer().serialize('t', 1.5)), '3fc00000');
  assert.equal(hex(Serdes.Double().serializer().serialize('t', 1.5)), '3ff8000000000000');
  assert.equal(hex(Serdes.Double().serializer().serialize('t', -0.1)), 'bfb999999999999a');
  assert.equal(Serdes.Double().deserializer().deserialize('t', Buffer.from('400921fb54442d18', 'hex')), Math.PI);
  assert.throws(() => Serdes.Double().deserializer().deserialize('t', Buffer.alloc(4)), /DoubleDeserializer is not 8/);
});

test('ByteArray and Bytes pass bytes through; Bytes compares by value', () => {
  const raw = Uint8Array.of(0, 1, 0xff);
  assert.equal(hex(Serdes.ByteArray().serializer().serialize('t', raw)), '0001ff');
  const b = Serdes.Bytes().deserializer().deserialize('t', raw);
  assert.ok(b?.equals(Bytes.wrap(Uint8Array.of(0, 1, 0xff))));
  assert.equal(hex(Serdes.Bytes().serializer().serialize('t', b)), '0001ff');
  assert.equal(String(Bytes.wrap(Buffer.from('a\n'))), 'a\\x0A');
});

test('Void accepts only null', () => {
  const s = Serdes.Void();
  assert.equal(s.serializer().serialize('t', null), null);
  assert.equal(s.deserializer().deserialize('t', null), null);
  assert.throws(() => s.deserializer().deserialize('t', Uint8Array.of(1)), /should be null/);
});

test('Java class names resolve to the same serdes', () => {
  assert.equal(serdeByClassName('org.apache.kafka.common.serialization.Serdes$StringSerde'), Serdes.String());
  assert.equal(serdeByClassName('org.apache.kafka.common.serialization.Serdes$LongSerde'), Serdes.Long());
  assert.equal(serdeByClassName('Nope'), undefined);
});
