import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpringDataSize, parseSpringDuration } from '../../src/config/spring-duration.js';

describe('parseSpringDuration', () => {
  it('reads the simple style, in the default unit without a suffix', () => {
    assert.equal(parseSpringDuration('5000'), 5000);
    assert.equal(parseSpringDuration('5s'), 5000);
    assert.equal(parseSpringDuration('5S'), 5000);
    assert.equal(parseSpringDuration('500ms'), 500);
    assert.equal(parseSpringDuration('2m'), 120000);
    assert.equal(parseSpringDuration('1h'), 3600000);
    assert.equal(parseSpringDuration('1d'), 86400000);
    assert.equal(parseSpringDuration('1500us'), 1);
    assert.equal(parseSpringDuration('999999ns'), 0);
    assert.equal(parseSpringDuration('30', 's'), 30000);
    assert.equal(parseSpringDuration('-5s'), -5000);
  });

  it('reads ISO-8601 as java.time.Duration.parse does', () => {
    assert.equal(parseSpringDuration('PT5S'), 5000);
    assert.equal(parseSpringDuration('pt0.5s'), 500);
    assert.equal(parseSpringDuration('PT1M30S'), 90000);
    assert.equal(parseSpringDuration('P1DT2H'), 93600000);
    assert.equal(parseSpringDuration('-PT1S'), -1000);
    assert.equal(parseSpringDuration('PT-0.5S'), -500);
  });

  it('refuses what Spring refuses', () => {
    for (const bad of ['', '5 s', '5x', '5sec', 'PT', 'P', 'P1Y', 'PT1.5H', 'five']) {
      assert.throws(() => parseSpringDuration(bad), /not a valid/, bad);
    }
  });
});

describe('parseSpringDataSize', () => {
  it('reads bytes and binary units, case-sensitive, whitespace ignored', () => {
    assert.equal(parseSpringDataSize('16384'), 16384);
    assert.equal(parseSpringDataSize('16KB'), 16384);
    assert.equal(parseSpringDataSize('32MB'), 33554432);
    assert.equal(parseSpringDataSize('1GB'), 1073741824);
    assert.equal(parseSpringDataSize('1TB'), 1099511627776);
    assert.equal(parseSpringDataSize('512B'), 512);
    assert.equal(parseSpringDataSize(' 16 KB '), 16384);
  });

  it('refuses unknown or lower-case units', () => {
    for (const bad of ['16kb', '16K', '16 KiB', '1.5MB', 'big']) {
      assert.throws(() => parseSpringDataSize(bad), /data (size|unit)/, bad);
    }
  });
});
