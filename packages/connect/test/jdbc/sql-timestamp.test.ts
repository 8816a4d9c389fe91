import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareTimestamps,
  formatSqlTimestamp,
  parseSqlTimestamp,
  timestampFromMs,
} from '../../src/jdbc/dialect/sql-timestamp.js';

test("PostgreSQL's text forms keep microseconds in nanos; offsets move the instant to UTC", () => {
  const base = Date.UTC(2024, 4, 1, 10, 0, 0);
  assert.deepEqual(parseSqlTimestamp('2024-05-01 10:00:00.123456'), { ms: base + 123, nanos: 123_456_000 });
  assert.deepEqual(parseSqlTimestamp('2024-05-01 10:00:00.123456+00'), { ms: base + 123, nanos: 123_456_000 });
  assert.deepEqual(parseSqlTimestamp('2024-05-01 12:30:00+02:30'), { ms: base, nanos: 0 });
  assert.deepEqual(parseSqlTimestamp('2024-05-01T10:00:00Z'), { ms: base, nanos: 0 });
  assert.deepEqual(parseSqlTimestamp('2024-05-01'), { ms: Date.UTC(2024, 4, 1), nanos: 0 });
  assert.equal(parseSqlTimestamp('yesterday'), null);
});

test('formatting for a query parameter round-trips, nanoseconds included', () => {
  const ts = { ms: Date.UTC(2024, 4, 1, 10, 0, 0, 123), nanos: 123_456_789 };
  assert.equal(formatSqlTimestamp(ts), '2024-05-01 10:00:00.123456789');
  assert.deepEqual(parseSqlTimestamp(formatSqlTimestamp(ts)), ts);
  assert.deepEqual(parseSqlTimestamp(formatSqlTimestamp(timestampFromMs(-1))), timestampFromMs(-1));
});

test('comparison orders by second, then nanoseconds', () => {
  const a = parseSqlTimestamp('2024-05-01 10:00:00.123456')!;
  const b = parseSqlTimestamp('2024-05-01 10:00:00.123457')!;
  assert.ok(compareTimestamps(a, b) < 0);
  assert.ok(compareTimestamps(b, a) > 0);
  assert.equal(compareTimestamps(a, { ...a }), 0);
});
