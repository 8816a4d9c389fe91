import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseDateTime,
  parseDuration,
  parseResetPlan,
} from '../../../src/commands/consumer-groups/offsets-reset-plan.js';

test('reset-offsets inputs: datetimes, durations, plan files', () => {
  assert.equal(parseDateTime('2020-01-01T00:00:00.000Z'), Date.UTC(2020, 0, 1));
  assert.equal(parseDateTime('2020-01-01T01:00:00.000+01:00'), Date.UTC(2020, 0, 1));
  assert.equal(parseDuration('P1DT2H3M4.5S'), ((24 + 2) * 60 + 3) * 60000 + 4500);
  assert.deepEqual(parseResetPlan('t,0,5\n', 'g'), [{ group: 'g', topic: 't', partition: 0, offset: 5n }]);
  assert.deepEqual(parseResetPlan('g2,t,1,6\n', undefined), [{ group: 'g2', topic: 't', partition: 1, offset: 6n }]);
});
