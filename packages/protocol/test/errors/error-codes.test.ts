import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ERROR_CODES, ErrorCode, errorByCode } from '../../src/errors/error-codes.js';

describe('ErrorCode', () => {
  test('is exactly the error table, name for name and code for code', () => {
    assert.deepEqual(
      Object.entries(ErrorCode),
      ERROR_CODES.map((info) => [info.name, info.code]),
    );
  });

  test('covers Kafka codes -1..133 without gaps, with Kafka names at known codes', () => {
    assert.deepEqual(
      ERROR_CODES.map((info) => info.code),
      Array.from({ length: 135 }, (_, i) => i - 1),
    );
    assert.equal(ErrorCode.UNKNOWN_SERVER_ERROR, -1);
    assert.equal(ErrorCode.NOT_LEADER_OR_FOLLOWER, 6);
    assert.equal(ErrorCode.FENCED_LEADER_EPOCH, 74);
    assert.equal(ErrorCode.VOTER_NOT_FOUND, 127);
    assert.equal(ErrorCode.INVALID_REGULAR_EXPRESSION, 128);
    assert.equal(ErrorCode.SHARE_SESSION_LIMIT_REACHED, 133);
  });

  test('cannot be changed at run time', () => {
    assert.throws(() => {
      (ErrorCode as Record<string, number>).NONE = 5;
    }, TypeError);
  });

  test('errorByCode finds every code and names unknown ones', () => {
    for (const [name, code] of Object.entries(ErrorCode)) assert.equal(errorByCode(code).name, name);
    assert.equal(errorByCode(9999).name, 'UNKNOWN_ERROR_CODE_9999');
  });
});
