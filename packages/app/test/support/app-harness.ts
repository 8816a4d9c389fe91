import { Admin, Consumer, type ConsumerRecord, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';

/** Broker settings for these tests: rebalances in milliseconds. */
export async function startBroker(): Promise<BrokerProcess> {
  return BrokerProcess.start({
    properties: {
      'num.partitions': 1,
      'group.initial.rebalance.delay.ms': 0,
      'group.min.session.timeout.ms': 500,
    },
  });
}

let counter = 0;
/** A name unique within the run. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Consumer settings every test container uses: fast rebalances and fetches. */
export function consumerConfig(bootstrap: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'bootstrap.servers': bootstrap,
    'auto.offset.reset': 'earliest',
    'fetch.max.wait.ms': 50,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    ...extra,
  };
}

export async function createTopics(bootstrap: string, topics: Record<string, number>): Promise<void> {
  const admin = new Admin({ 'bootstrap.servers': bootstrap });
  try {
    await admin.createTopics(Object.entries(topics).map(([name, numPartitions]) => ({ name, numPartitions })));
  } finally {
    await admin.close();
  }
}

/** Committed offsets of a group, as `topic-partition` → offset. */
export async function committedOffsets(bootstrap: string, groupId: string): Promise<Map<string, bigint>> {
  const admin = new Admin({ 'bootstrap.servers': bootstrap });
  try {
    const offsets = await admin.listConsumerGroupOffsets(groupId);
    return new Map(offsets.map((o) => [`${o.topic}-${o.partition}`, BigInt(o.offset)]));
  } finally {
    await admin.close();
  }
}

export function stringProducer(bootstrap: string): Producer<string, string> {
  return new Producer<string, string>({
    'bootstrap.servers': bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
    'linger.ms': 1,
  });
}

export function bufferProducer(bootstrap: string): Producer<Buffer, Buffer> {
  return new Producer<Buffer, Buffer>({
    'bootstrap.servers': bootstrap,
    keySerializer: 'buffer',
    valueSerializer: 'buffer',
    'linger.ms': 1,
  });
}

/** Reads every record of `topic` until `count` arrived (all partitions, no group). */
export async function readAll(
  bootstrap: string,
  topic: string,
  partitions: number,
  count: number,
  timeoutMs = 20_000,
): Promise<ConsumerRecord<Buffer, Buffer>[]> {
  const consumer = new Consumer<Buffer, Buffer>({
    'bootstrap.servers': bootstrap,
    'auto.offset.reset': 'earliest',
    'fetch.max.wait.ms': 50,
  });
  try {
    consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
    const out: ConsumerRecord<Buffer, Buffer>[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < count) {
      if (Date.now() > deadline) throw new Error(`read ${out.length} of ${count} records of ${topic}`);
      out.push(...(await consumer.poll({ timeoutMs: 200 })));
    }
    return out;
  } finally {
    await consumer.close();
  }
}

/** Checks `condition` every 20 ms until it holds, or throws naming `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function header(record: ConsumerRecord<unknown, unknown>, key: string): Buffer | undefined {
  const found = [...record.headers].reverse().find((h) => h.key === key);
  return found?.value ?? undefined;
}
