import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Processor } from '../../src/processor/processor.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { PunctuationType } from '../../src/processor/punctuation-type.js';
import { Record } from '../../src/processor/record.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { KeyValueStore } from '../../src/state/key-value-store.js';
import { Stores } from '../../src/state/stores.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// Kafka's WordCountProcessorDemo shape: a processor counting into a store and a punctuator
// forwarding the counts.
class WordCountProcessor implements Processor<string, string, string, string> {
  private context!: ProcessorContext<string, string>;
  private store!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, string>): void {
    this.context = context;
    this.store = context.getStateStore('Counts');
    context.schedule(1000, PunctuationType.STREAM_TIME, (timestamp) => {
      for (const { key, value } of this.store.all()) {
        this.context.forward(new Record(key, String(value), timestamp));
      }
    });
  }

  process(record: Record<string, string>): void {
    for (const word of record.value().toLowerCase().split(/\W+/)) {
      this.store.put(word, (this.store.get(word) ?? 0) + 1);
    }
  }
}

function wordCountTopology(): Topology {
  return new Topology()
    .addSource('Source', Serdes.String().deserializer(), Serdes.String().deserializer(), 'streams-plaintext-input')
    .addProcessor('Process', () => new WordCountProcessor(), 'Source')
    .addStateStore(
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('Counts'), Serdes.String(), Serdes.Integer()),
      'Process',
    )
    .addSink(
      'Sink',
      'streams-wordcount-processor-output',
      Serdes.String().serializer(),
      Serdes.String().serializer(),
      'Process',
    );
}

test('a hand-built topology counts into its store and punctuates on stream time', () => {
  const driver = new TopologyTestDriver(wordCountTopology(), { 'application.id': 'wc' }, 0);
  try {
    const input = driver.createInputTopic(
      'streams-plaintext-input',
      Serdes.String().serializer(),
      Serdes.String().serializer(),
    );
    const output = driver.createOutputTopic(
      'streams-wordcount-processor-output',
      Serdes.String().deserializer(),
      Serdes.String().deserializer(),
    );
    // Stream time starts at the first record: the punctuator (aligned to 0) fires at once.
    input.pipeInput(null, 'a b', 0);
    assert.deepEqual(
      output.readKeyValuesToList().map((kv) => [kv.key, kv.value]),
      [
        ['a', '1'],
        ['b', '1'],
      ],
    );
    input.pipeInput(null, 'a c', 500); // stream time 500: nothing due
    assert.ok(output.isEmpty());
    input.pipeInput(null, 'a', 3500); // 1000, 2000, 3000 were missed: one call, not three
    assert.deepEqual(
      [...output.readKeyValuesToMap()],
      [
        ['a', '3'],
        ['b', '1'],
        ['c', '1'],
      ],
    );
    const store = driver.getKeyValueStore<string, number>('Counts');
    assert.equal(store.get('a'), 3);
    assert.equal(store.approximateNumEntries(), 3);
  } finally {
    driver.close();
  }
});

test('wall-clock punctuation fires only when the clock moves; cancel stops it', () => {
  const calls: number[] = [];
  const topology = new Topology()
    .addSource('s', Serdes.String().deserializer(), Serdes.String().deserializer(), 'in')
    .addProcessor(
      'p',
      () => {
        let n = 0;
        return {
          init(context: ProcessorContext) {
            const c = context.schedule(100, PunctuationType.WALL_CLOCK_TIME, (t) => {
              calls.push(t);
              if (++n === 2) c.cancel();
            });
          },
          process() {},
        };
      },
      's',
    );
  const driver = new TopologyTestDriver(topology, {}, 1000);
  try {
    driver.advanceWallClockTime(50);
    assert.deepEqual(calls, []);
    driver.advanceWallClockTime(50);
    assert.deepEqual(calls, [1100]);
    driver.advanceWallClockTime(250); // one call for 1200 and 1300 together
    assert.deepEqual(calls, [1100, 1350]);
    driver.advanceWallClockTime(1000);
    assert.deepEqual(calls, [1100, 1350]);
  } finally {
    driver.close();
  }
});

test('forward to a named child, record metadata, and an unconnected store is refused', () => {
  const seen: string[] = [];
  const topology = new Topology()
    .addSource('s', Serdes.String().deserializer(), Serdes.String().deserializer(), 'in')
    .addProcessor(
      'router',
      () => {
        let context: ProcessorContext<string, string>;
        return {
          init(c: ProcessorContext<string, string>) {
            context = c;
          },
          process(r: Record<string, string>) {
            const meta = context.recordMetadata();
            seen.push(`${meta?.topic()}-${meta?.partition()}@${meta?.offset()}`);
            context.forward(r, r.value().startsWith('x') ? 'xs' : 'others');
          },
        };
      },
      's',
    )
    .addSink('xs', 'x-out', Serdes.String().serializer(), Serdes.String().serializer(), 'router')
    .addSink('others', 'other-out', Serdes.String().serializer(), Serdes.String().serializer(), 'router');
  const driver = new TopologyTestDriver(topology, { 'application.id': 'router' });
  try {
    const input = driver.createInputTopic('in', Serdes.String().serializer(), Serdes.String().serializer());
    input.pipeInput('k1', 'xylophone');
    input.pipeInput('k2', 'drum');
    const xs = driver.createOutputTopic('x-out', Serdes.String().deserializer(), Serdes.String().deserializer());
    const others = driver.createOutputTopic(
      'other-out',
      Serdes.String().deserializer(),
      Serdes.String().deserializer(),
    );
    assert.deepEqual(xs.readValuesToList(), ['xylophone']);
    assert.deepEqual(others.readValuesToList(), ['drum']);
    assert.deepEqual(seen, ['in-0@0', 'in-0@1']);
  } finally {
    driver.close();
  }

  const stealing = new Topology()
    .addSource('s', 'in')
    .addProcessor(
      'thief',
      () => ({
        init(c: ProcessorContext) {
          c.getStateStore('elsewhere');
        },
        process() {},
      }),
      's',
    )
    .addProcessor('owner', () => ({ process() {} }), 's')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('elsewhere')), 'owner');
  assert.throws(() => new TopologyTestDriver(stealing), /Processor thief has no access to StateStore elsewhere/);
});
