import { Admin, Consumer, type ConsumerRecord, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';

/** Broker settings for client tests: small group timeouts so rebalances take milliseconds. */
export const BROKER_PROPERTIES = {
  'num.partitions': 1,
  'group.initial.rebalance.delay.ms': 0,
  'group.min.session.timeout.ms': 500,
} as const;

export async function startBroker(properties: Record<string, string | number | boolean> = {}): Promise<BrokerProcess> {
  return BrokerProcess.start({ properties: { ...BROKER_PROPERTIES, ...properties } });
}

let counter = 0;
/** A topic name unique within the run. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function createTopic(
  bootstrap: string,
  name: string,
  partitions: number,
  configs: Record<string, string> = {},
): Promise<void> {
  const admin = new Admin({ 'bootstrap.servers': bootstrap });
  try {
    await admin.createTopics([{ name, numPartitions: partitions, configs }]);
  } finally {
    await admin.close();
  }
}

/** Reads `count` records of `topic` (all partitions) from the beginning, without a group. */
export async function readRecords<K = Buffer, V = Buffer>(
  bootstrap: string,
  topic: string,
  partitions: number,
  count: number,
  options: Record<string, unknown> = {},
  timeoutMs = 15000,
): Promise<ConsumerRecord<K, V>[]> {
  const consumer = new Consumer<K, V>({
    'bootstrap.servers': bootstrap,
    'auto.offset.reset': 'earliest',
    'fetch.max.wait.ms': 100,
    ...options,
  });
  try {
    consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
    const out: ConsumerRecord<K, V>[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < count) {
      if (Date.now() > deadline) throw new Error(`read ${out.length} of ${count} records of ${topic}`);
      out.push(...(await consumer.poll({ timeoutMs: 500 })));
    }
    return out;
  } finally {
    await consumer.close();
  }
}

export function newProducer<K = string, V = string>(
  bootstrap: string,
  options: Record<string, unknown> = {},
): Producer<K, V> {
  return new Producer<K, V>({
    'bootstrap.servers': bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
    'linger.ms': 2,
    ...options,
  });
}
