import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConsumerRecord } from '@samsa/client';
import { decode, PREVIEW_BYTES, recordView } from '../src/record-view.js';

const record = (value: Buffer | null): ConsumerRecord => ({
  topic: 't',
  partition: 0,
  offset: 7n,
  timestamp: 1000,
  timestampType: 'CreateTime',
  key: Buffer.from('k'),
  value,
  headers: [{ key: 'h', value: Buffer.from('v') }],
  leaderEpoch: 0,
  serializedKeySize: 1,
  serializedValueSize: value?.length ?? -1,
});

test('decode shows string, pretty JSON (text when not JSON) and hex', () => {
  assert.equal(decode(Buffer.from('{"a":1}'), 'json'), '{\n  "a": 1\n}');
  assert.equal(decode(Buffer.from('not json'), 'json'), 'not json');
  assert.equal(decode(Buffer.from('AB'), 'hex'), '4142');
});

test('recordView truncates a huge value and keeps its size', () => {
  const view = recordView(record(Buffer.alloc(PREVIEW_BYTES + 10, 0x61)), 'string');
  assert.equal(view.truncated, true);
  assert.equal(view.value?.length, PREVIEW_BYTES);
  assert.equal(view.valueBytes, PREVIEW_BYTES + 10);
  assert.equal(view.offset, '7');
  assert.deepEqual(view.headers, [{ key: 'h', value: 'v' }]);
  assert.equal(recordView(record(null), 'string').value, null);
});
