import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32c } from '../../src/util/crc32c.js';

describe('crc32c', () => {
  test('computes CRC-32C (Castagnoli) like Kafka: the standard check value', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
  });

  test('covers buf[start, end) only', () => {
    const buf = Buffer.from('xx123456789yy');
    assert.equal(crc32c(buf, 2, 11), 0xe3069283);
    assert.equal(crc32c(buf, 2), crc32c(Buffer.from('123456789yy')));
  });
});
