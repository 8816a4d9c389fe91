import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Loggers, parseLevel } from '../../src/runtime/loggers.js';

// The logger registry alone (no worker): inheritance by dotted prefix, Kafka's setLevel results.

describe('Loggers', () => {
  test('a logger without a level takes its nearest ancestor’s, then root’s', () => {
    const loggers = new Loggers(() => 42);
    loggers.logger('org.apache.kafka.connect.runtime.Worker');
    assert.equal(loggers.effectiveLevel('org.apache.kafka.connect.runtime.Worker'), 'INFO');
    loggers.setLevel('org.apache.kafka.connect', 'DEBUG');
    assert.equal(loggers.effectiveLevel('org.apache.kafka.connect.runtime.Worker'), 'DEBUG');
    assert.equal(loggers.effectiveLevel('org.apache.kafka.clients.Other'), 'INFO');
  });

  test('setLevel returns the loggers it changed, sorted, and stamps them', () => {
    let now = 1000;
    const loggers = new Loggers(() => now);
    loggers.logger('a.b.Y');
    loggers.logger('a.b.X');
    loggers.logger('c.Z');
    assert.deepEqual(loggers.setLevel('a.b', 'WARN'), ['a.b', 'a.b.X', 'a.b.Y']);
    assert.deepEqual(loggers.level('a.b.X'), { level: 'WARN', last_modified: 1000 });
    assert.deepEqual(loggers.level('c.Z'), { level: 'INFO', last_modified: null });
    now = 2000;
    // Unchanged levels are not reported again.
    assert.deepEqual(loggers.setLevel('a.b', 'WARN'), []);
    assert.deepEqual(loggers.setLevel('root', 'ERROR'), ['a.b', 'a.b.X', 'a.b.Y', 'c.Z', 'root']);
    assert.deepEqual(loggers.level('ROOT'), { level: 'ERROR', last_modified: 2000 });
  });

  test('unknown loggers have no level; OFF loggers are left out of the listing', () => {
    const loggers = new Loggers(() => 1);
    assert.equal(loggers.level('nobody.uses.This'), undefined);
    loggers.logger('x.Y');
    loggers.setLevel('x', 'OFF');
    assert.deepEqual(Object.keys(loggers.allLevels()), ['root']);
  });

  test('a logger writes only at or above its level, through the console method it always used', () => {
    const loggers = new Loggers();
    const logger = loggers.logger('p.Q');
    const seen: string[] = [];
    const original = { log: console.log, warn: console.warn, error: console.error };
    console.log = (...args: unknown[]) => seen.push(`log:${args.join(' ')}`);
    console.warn = (...args: unknown[]) => seen.push(`warn:${args.join(' ')}`);
    console.error = (...args: unknown[]) => seen.push(`error:${args.join(' ')}`);
    try {
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e', 'x');
      loggers.setLevel('p', 'ERROR');
      logger.info('hidden');
      logger.error('shown');
    } finally {
      Object.assign(console, original);
    }
    assert.deepEqual(seen, ['log:i', 'warn:w', 'error:e x', 'error:shown']);
  });

  test('levels parse case-insensitively, unknown ones do not', () => {
    assert.equal(parseLevel('debug'), 'DEBUG');
    assert.equal(parseLevel('VERBOSE'), undefined);
  });
});
