import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Producer, ProducerListener, ProducerRecord, RecordMetadata } from '@samsa/client';
import { ProductionExceptionHandlerResponse } from '../../src/errors/production-exception-handler.js';
import { SourceRecordMetadata } from '../../src/processor/source-record-metadata.js';
import { TaskId } from '../../src/processor/task-id.js';
import { StreamsProducer, type StreamsRecord } from '../../src/runtime/streams-producer.js';

type Listener = ProducerListener<Uint8Array, Uint8Array>;

/** A producer that reports each send at once through its listener: delivered, or failed with `error`. */
function fakeProducer(error: Error | undefined): (listener: Listener) => Producer<Uint8Array, Uint8Array> {
  return (listener) =>
    ({
      send: (record: ProducerRecord<Uint8Array, Uint8Array>) => {
        if (error === undefined) {
          listener.onSuccess?.(record, { topic: record.topic, partition: 0, offset: 41n } as RecordMetadata);
        } else listener.onError?.(record, error);
      },
      flush: async () => {},
    }) as unknown as Producer<Uint8Array, Uint8Array>;
}

const record = (onDelivered?: (metadata: RecordMetadata) => void): StreamsRecord => ({
  topic: 'out',
  key: null,
  value: Buffer.from('v'),
  timestamp: 1,
  headers: [],
  partition: undefined,
  taskId: new TaskId(0, 3),
  source: new SourceRecordMetadata('in', 3, 17n),
  onDelivered,
});

test('delivery reports come back through the listener: the changelog offset, and the application’s listener too', async () => {
  const heard: string[] = [];
  const producer = new StreamsProducer(fakeProducer(undefined), false, undefined, undefined, {
    onSuccess: (r) => heard.push(`user saw ${r.topic}`),
  });
  let offset: bigint | undefined;
  producer.send(record((m) => (offset = m.offset)));
  assert.equal(offset, 41n);
  assert.deepEqual(heard, ['user saw out']);
  await producer.flush();
});

test('a failed send reaches the handler with the source record’s context; CONTINUE drops it, FAIL fails the flush', async () => {
  const contexts: unknown[] = [];
  const dropped: unknown[] = [];
  const continuing = new StreamsProducer(
    fakeProducer(new Error('broker said no')),
    false,
    {
      handle: (context) => {
        contexts.push(context);
        return ProductionExceptionHandlerResponse.CONTINUE;
      },
    },
    (context) => dropped.push(context),
  );
  continuing.send(record());
  await continuing.flush();
  assert.deepEqual(contexts, [{ taskId: new TaskId(0, 3), topic: 'in', partition: 3, offset: 17n }]);
  assert.equal(dropped.length, 1);

  const failing = new StreamsProducer(fakeProducer(new Error('broker said no')), false, {
    handle: () => ProductionExceptionHandlerResponse.FAIL,
  });
  failing.send(record());
  await assert.rejects(failing.flush(), /broker said no/);
});

test('a handler that throws fails the next flush with its error (not swallowed by the producer)', async () => {
  const producer = new StreamsProducer(fakeProducer(new Error('broker said no')), false, {
    handle: () => {
      throw new Error('the handler itself broke');
    },
  });
  producer.send(record());
  await assert.rejects(producer.flush(), /the handler itself broke/);
});
