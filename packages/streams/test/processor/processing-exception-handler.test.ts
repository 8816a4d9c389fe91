import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import {
  type ProcessingErrorContext,
  ProcessingHandlerResponse,
} from '../../src/errors/processing-exception-handler.js';
import type { Record } from '../../src/processor/record.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { StreamsConfigInput } from '../../src/streams-config.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// KIP-1033's processing.exception.handler through TopologyTestDriver: a processor throwing on
// one record ('boom'), two branches after the source (one fails, one does not).

const S = Serdes.String();

function driver(config: StreamsConfigInput): TopologyTestDriver {
  const builder = new StreamsBuilder();
  const source = builder.stream('in', Consumed.with(S, S));
  source
    .mapValues((v) => {
      if (v === 'boom') throw new TypeError(`cannot map ${v}`);
      return v.toUpperCase();
    })
    .filter(() => true)
    .to('upper', Produced.with(S, S));
  source.to('copy', Produced.with(S, S));
  return new TopologyTestDriver(builder.build(), { 'application.id': 'processing-errors', ...config });
}

test('LogAndContinueProcessingExceptionHandler: the record is dropped at the failing node and counted', () => {
  const d = driver({
    'processing.exception.handler': 'org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler',
  });
  const input = d.createInputTopic('in', S.serializer(), S.serializer());
  for (const v of ['a', 'boom', 'b']) input.pipeInput('k', v);
  assert.deepEqual(d.createOutputTopic('upper', S.deserializer(), S.deserializer()).readValuesToList(), ['A', 'B']);
  assert.deepEqual(d.createOutputTopic('copy', S.deserializer(), S.deserializer()).readValuesToList(), [
    'a',
    'boom',
    'b',
  ]);
  const dropped = d.metrics().find((m) => m.name === 'dropped-records-total');
  assert.equal(dropped?.metricValue(), 1);
  d.close();
});

test('a custom handler gets the node, the record and its place; FAIL asks it once and rethrows', () => {
  const calls: string[] = [];
  const d = driver({
    'processing.exception.handler': {
      handle: (context: ProcessingErrorContext, record: Record<unknown, unknown>, error: Error) => {
        calls.push(
          `${context.processorNodeId} ${context.topic}:${context.partition}@${context.offset} ${record.value()} ${error.name}`,
        );
        return ProcessingHandlerResponse.FAIL;
      },
    },
  });
  const input = d.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'a');
  assert.throws(() => input.pipeInput('k', 'boom'), /cannot map boom/);
  assert.deepEqual(calls, ['KSTREAM-MAPVALUES-0000000001 in:0@1 boom TypeError']);
  d.close();
});

test('the default (LogAndFailProcessingExceptionHandler) fails with the processor error', () => {
  const d = driver({});
  const input = d.createInputTopic('in', S.serializer(), S.serializer());
  assert.throws(() => input.pipeInput('k', 'boom'), TypeError);
  d.close();
});

test('an unknown handler class is a ConfigException naming the setting', () => {
  assert.throws(() => driver({ 'processing.exception.handler': 'com.example.Nope' }), /processing\.exception\.handler/);
});
