import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOPIC_CONFIG_DOCS, topicConfigValueProblem } from '../src/topic-config-docs.js';

test('topic config values are checked against the documented type', () => {
  assert.equal(topicConfigValueProblem('retention.ms', '-1'), undefined);
  assert.match(topicConfigValueProblem('retention.ms', '1h') ?? '', /integer/);
  assert.match(topicConfigValueProblem('segment.bytes', '9999999999') ?? '', /out of range/);
  assert.equal(topicConfigValueProblem('cleanup.policy', 'compact,delete'), undefined);
  assert.match(topicConfigValueProblem('cleanup.policy', 'compact,forever') ?? '', /delete, compact/);
  assert.match(topicConfigValueProblem('preallocate', 'yes') ?? '', /true or false/);
  assert.equal(topicConfigValueProblem('min.cleanable.dirty.ratio', '0.5'), undefined);
  assert.equal(topicConfigValueProblem('some.unknown.config', 'x'), undefined);
  assert.equal(new Set(TOPIC_CONFIG_DOCS.map((d) => d.name)).size, TOPIC_CONFIG_DOCS.length);
});
