import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonNumberText, parseLosslessJson, toPlainJson } from '../src/converters/lossless-json.js';

// The exact-number JSON parser JsonConverter uses for messages with a Decimal: same values as
// JSON.parse, except numbers whose text a JS number would change.

test('parses what JSON.parse parses, with the same values', () => {
  for (const text of [
    '{"a":[1,2.5,-3e2,true,false,null,"x\\"y\\\\z\\u00e9"],"b":{},"c":[]}',
    ' \n\t[ { "k" : "v" } , 0 , -0.5 ] ',
    '"just a string"',
    '42',
  ]) {
    assert.deepEqual(toPlainJson(parseLosslessJson(text)), JSON.parse(text), text);
  }
});

test('keeps the text of numbers a JS number cannot give back', () => {
  const parsed = parseLosslessJson(
    '[1.56, 1.5600, 12345678901234567890, 1.23456789123456789, 1e-7, 1E-7]',
  ) as unknown[];
  assert.equal(parsed[0], 1.56);
  assert.deepEqual(parsed[1], new JsonNumberText('1.5600'));
  assert.deepEqual(parsed[2], new JsonNumberText('12345678901234567890'));
  assert.equal((parsed[2] as JsonNumberText).toJsValue(), 12345678901234567890n);
  assert.deepEqual(parsed[3], new JsonNumberText('1.23456789123456789'));
  assert.equal(parsed[4], 1e-7);
  assert.deepEqual(parsed[5], new JsonNumberText('1E-7'));
});

test('refuses malformed JSON', () => {
  for (const text of ['{', '[1,]', '{"a" 1}', 'tru', '1 2', '"open', '{"a":1,}', '01']) {
    assert.throws(() => parseLosslessJson(text), SyntaxError, text);
  }
});
