/**
 * ConcurrentMessageListenerContainer on a real broker: three group members over six partitions,
 * each partition handled by one member at a time and in order, and one member stopped by its
 * error handler without stopping the others.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Producer } from '@samsa/client';
import type { BrokerProcess } from '@samsa/testkit';
import {
  CommonContainerStoppingErrorHandler,
  ConcurrentMessageListenerContainer,
  ContainerStoppedException,
  silentLogger,
} from '../../src/index.js';
import {
  committedOffsets,
  consumerConfig,
  createTopics,
  startBroker,
  stringProducer,
  uniqueName,
  waitFor,
} from '../support/app-harness.js';

const PARTITIONS = 6;
const PER_PARTITION = 100;

describe('concurrent listener containers', () => {
  let broker: BrokerProcess;
  let producer: Producer<string, string>;

  before(async () => {
    broker = await startBroker();
    producer = stringProducer(broker.bootstrap);
  });
  after(async () => {
    await producer?.close();
    await broker?.stop();
  });

  it('handles each partition in order on one member at a time, and survives a member stopped by an error', async () => {
    const topic = uniqueName('c3');
    const group = uniqueName('g');
    await createTopics(broker.bootstrap, { [topic]: PARTITIONS });
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < PER_PARTITION; i++) {
      for (let p = 0; p < PARTITIONS; p++) sends.push(producer.send({ topic, partition: p, value: `${p}:${i}` }));
    }
    await Promise.all(sends);

    const handled = Array.from({ length: PARTITIONS }, () => [] as number[]);
    const handlers = Array.from({ length: PARTITIONS }, () => new Set<string>());
    const inFlight = new Set<number>();
    const violations: string[] = [];
    let crashed = false;
    const container = new ConcurrentMessageListenerContainer<Buffer, string>({
      id: group,
      topics: [topic],
      concurrency: 3,
      consumerConfig: consumerConfig(broker.bootstrap, { 'max.poll.records': 20 }),
      valueDeserializer: (b) => b.toString('utf8'),
      errorHandler: new CommonContainerStoppingErrorHandler(),
      logger: silentLogger,
      listener: async (record, ctx) => {
        const [p, i] = (record.value as string).split(':').map(Number) as [number, number];
        if (inFlight.has(p)) violations.push(`partition ${p} handled by two members at once`);
        inFlight.add(p);
        try {
          await new Promise((r) => setImmediate(r));
          if (p === 2 && i === 50 && !crashed) {
            crashed = true;
            throw new Error('unrecoverable');
          }
          handled[p]?.push(i);
          handlers[p]?.add(ctx.listenerId);
        } finally {
          inFlight.delete(p);
        }
      },
    });
    const stopped: { id: string; error: Error | undefined }[] = [];
    container.on('childStopped', (id: string, error?: Error) => stopped.push({ id, error }));
    await container.start();
    try {
      await waitFor(() => handled.every((h) => h.length >= PER_PARTITION), 'every record handled', 60_000);
      await waitFor(async () => {
        const committed = await committedOffsets(broker.bootstrap, group);
        return Array.from({ length: PARTITIONS }, (_, p) => committed.get(`${topic}-${p}`)).every(
          (o) => o === BigInt(PER_PARTITION),
        );
      }, 'every partition committed to its end');
      assert.equal(stopped.length, 1, 'exactly one member stopped');
      assert.ok(stopped[0]?.error instanceof ContainerStoppedException, 'stopped by its error handler');
      assert.equal(container.children.filter((c) => c.isRunning).length, 2, 'the other two keep running');
      const survivors = container.children.filter((c) => c.isRunning).flatMap((c) => c.assignment());
      assert.equal(survivors.length, PARTITIONS, 'the survivors own every partition');
    } finally {
      await container.stop();
    }
    assert.deepEqual(violations, []);
    for (let p = 0; p < PARTITIONS; p++) {
      assert.deepEqual(
        handled[p],
        Array.from({ length: PER_PARTITION }, (_, i) => i),
        `partition ${p}: every record once, in order`,
      );
    }
    assert.ok((handlers[2]?.size ?? 0) >= 2, 'partition 2 moved to another member after the crash');
  });
});
