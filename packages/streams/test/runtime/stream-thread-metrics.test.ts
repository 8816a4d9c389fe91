import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AvgMax, SampledRate, StreamThreadMetrics } from '../../src/runtime/stream-thread-metrics.js';

test('SampledRate: events over the last two 30 s windows, over at least one window', () => {
  let now = 0;
  const rate = new SampledRate(30_000, () => now);
  rate.record(30);
  assert.equal(rate.perSecond(), 1); // 30 events / 30 s (at least a window)
  now = 45_000;
  rate.record(15);
  assert.equal(rate.perSecond(), 1); // 45 events over 45 s
  now = 200_000; // both windows long gone
  assert.equal(rate.perSecond(), 0);
});

test('AvgMax: NaN until recorded, as Java reports an empty Avg/Max', () => {
  const stat = new AvgMax();
  assert.ok(Number.isNaN(stat.avg()) && Number.isNaN(stat.max()));
  stat.record(2);
  stat.record(6);
  assert.equal(stat.avg(), 4);
  assert.equal(stat.max(), 6);
});

test("StreamThreadMetrics: Java's names, groups and tags", () => {
  const metrics = new StreamThreadMetrics(() => 0);
  metrics.taskCreated.record(3);
  metrics.recordProcess('0_1', 5);
  metrics.recordProcess('0_1', -3); // ahead of stream time: lateness 0
  const thread = metrics.threadMetrics('app-StreamThread-1', 2);
  const value = (name: string) => thread.find((m) => m.name === name)?.metricValue();
  assert.equal(value('process-total'), 2);
  assert.equal(value('task-created-total'), 3);
  assert.equal(value('task-closed-total'), 1);
  assert.ok(thread.every((m) => m.group === 'stream-thread-metrics' && m.tags['thread-id'] === 'app-StreamThread-1'));
  const task = metrics.taskMetrics('app-StreamThread-1', '0_1');
  assert.deepEqual(
    task.map((m) => [m.name, m.metricValue()]),
    [
      ['process-total', 2],
      ['process-rate', 2 / 30],
      ['record-lateness-avg', 2.5],
      ['record-lateness-max', 5],
    ],
  );
  assert.equal(task[0]?.tags['task-id'], '0_1');
});
