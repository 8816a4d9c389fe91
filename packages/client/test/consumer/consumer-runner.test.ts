import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TopicPartition, tpKey } from '../../src/common/topic-partition.js';
import type { ConsumerRecord } from '../../src/consumer/consumer-record.js';
import { ConsumerRunner, type ConsumerRunnerHost } from '../../src/consumer/consumer-runner.js';
import { SubscriptionState } from '../../src/consumer/subscription-state.js';

const record = (topic: string, partition: number, offset: bigint): ConsumerRecord<string, string> => ({
  topic,
  partition,
  offset,
  timestamp: 0,
  timestampType: 'CreateTime',
  key: null,
  value: `${topic}-${partition}@${offset}`,
  headers: [],
  leaderEpoch: 1,
  serializedKeySize: -1,
  serializedValueSize: 1,
});

/**
 * A consumer as the runner sees it: polls hand out the given batches once each, then stop the
 * run; positions, processed offsets and stop requests are kept as the consumer keeps them.
 */
function fakeHost(batches: ConsumerRecord<string, string>[][], partitions: readonly TopicPartition[]) {
  const subscriptions = new SubscriptionState();
  subscriptions.setAssignment(partitions);
  const generations = new Map<string, number>();
  let stopRequested = false;
  const invalidated: string[] = [];
  const host: ConsumerRunnerHost<string, string> = {
    subscriptions,
    checkOpen: () => {},
    startRun: () => {
      stopRequested = false;
    },
    overrideAutoCommit: () => {},
    poll: async () => {
      const next = batches.shift();
      if (next === undefined) stopRequested = true;
      return next ?? [];
    },
    stopping: () => stopRequested,
    requestStop: () => {
      stopRequested = true;
    },
    seekGeneration: (key) => generations.get(key) ?? 0,
    markProcessed: (r) => {
      const s = subscriptions.state(r.topic, r.partition);
      if (s !== undefined && (s.committable === null || r.offset + 1n > s.committable)) s.committable = r.offset + 1n;
    },
    invalidate: (topic, partition) => invalidated.push(`${topic}-${partition}`),
    pause: (tps) => {
      for (const tp of tps) (subscriptions.state(tp.topic, tp.partition) as { paused: boolean }).paused = true;
    },
    commitIfAutoCommit: async () => {},
  };
  const seek = (tp: TopicPartition) =>
    generations.set(tpKey(tp.topic, tp.partition), (generations.get(tpKey(tp.topic, tp.partition)) ?? 0) + 1);
  const state = (topic: string, partition: number) => subscriptions.state(topic, partition);
  return { host, invalidated, seek, state, stop: () => host.requestStop() };
}

describe('ConsumerRunner', () => {
  it('eachMessage: marks handled records processed; a handler error rejects the run and rewinds to the record', async () => {
    const { host, state, invalidated } = fakeHost(
      [[record('t', 0, 5n), record('t', 0, 6n), record('t', 0, 7n)]],
      [{ topic: 't', partition: 0 }],
    );
    const runner = new ConsumerRunner(host);
    const seen: bigint[] = [];
    await assert.rejects(
      runner.run({
        eachMessage: ({ message }) => {
          if (message.offset === 7n) throw new Error('boom');
          seen.push(message.offset);
        },
      }),
      /boom/,
    );
    assert.deepEqual(seen, [5n, 6n]);
    assert.equal(state('t', 0)?.committable, 7n, 'processed up to 6');
    assert.equal(state('t', 0)?.position, 7n, 'the failed record is fetched again');
    assert.deepEqual(invalidated, ['t-0']);
    assert.equal(runner.isRunning, false);
  });

  it('eachMessage: stop inside a handler rewinds every partition to its first unhandled record', async () => {
    const { host, state, stop } = fakeHost(
      [[record('a', 0, 1n), record('b', 0, 10n), record('a', 0, 2n), record('b', 0, 11n)]],
      [
        { topic: 'a', partition: 0 },
        { topic: 'b', partition: 0 },
      ],
    );
    const runner = new ConsumerRunner(host);
    const seen: string[] = [];
    await runner.run({
      eachMessage: ({ message }) => {
        seen.push(message.value as string);
        assert.equal(runner.inHandler, true);
        if (message.offset === 10n) stop();
      },
    });
    assert.deepEqual(seen, ['a-0@1', 'b-0@10']);
    assert.equal(state('a', 0)?.position, 2n);
    assert.equal(state('b', 0)?.position, 11n);
    assert.equal(state('b', 0)?.committable, 11n);
  });

  it('eachMessage: skips the rest of a partition after a seek from a handler', async () => {
    const { host, seek, state } = fakeHost(
      [[record('t', 0, 1n), record('t', 0, 2n), record('t', 0, 3n)]],
      [{ topic: 't', partition: 0 }],
    );
    const seen: bigint[] = [];
    await new ConsumerRunner(host).run({
      eachMessage: ({ message }) => {
        seen.push(message.offset);
        if (message.offset === 1n) seek({ topic: 't', partition: 0 });
      },
    });
    assert.deepEqual(seen, [1n]);
    assert.equal(state('t', 0)?.committable, null, 'a record handled across a seek does not count');
  });

  it('eachBatch: one call per partition; without auto-resolve, unresolved records are fetched again', async () => {
    const { host, state } = fakeHost(
      [[record('a', 0, 1n), record('b', 0, 10n), record('a', 0, 2n), record('a', 0, 3n)]],
      [
        { topic: 'a', partition: 0 },
        { topic: 'b', partition: 0 },
      ],
    );
    const batches: string[][] = [];
    await new ConsumerRunner(host).run({
      eachBatchAutoResolve: false,
      eachBatch: (batch) => {
        batches.push(batch.messages.map((m) => m.value as string));
        if (batch.topic === 'a') batch.resolveOffset(2n);
        else batch.resolveOffset(10n);
      },
    });
    assert.deepEqual(batches, [['a-0@1', 'a-0@2', 'a-0@3'], ['b-0@10']]);
    assert.equal(state('a', 0)?.committable, 3n);
    assert.equal(state('a', 0)?.position, 3n, 'offset 3 was not resolved');
    assert.equal(state('b', 0)?.committable, 11n);
  });

  it('refuses a second concurrent run and a run without handlers', async () => {
    const { host, stop } = fakeHost([[record('t', 0, 0n)]], [{ topic: 't', partition: 0 }]);
    const runner = new ConsumerRunner(host);
    await assert.rejects(runner.run({}), /run needs eachMessage or eachBatch/);
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = runner.run({ eachMessage: () => blocked });
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(runner.run({ eachMessage: () => {} }), /already running/);
    stop();
    release();
    await first;
    assert.equal(runner.isRunning, false);
  });
});
