/**
 * What the fault tests share: producers that remember every acknowledged record (confluent-kafka
 * in its own process, and Samsa's client in this one), a reader of every partition to the end,
 * and the checker: no acknowledged record lost, none duplicated, each producer's order kept.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { Admin, Consumer, OffsetSpec, Producer } from '@samsa/client';
import { requirePythonModule } from '@samsa/testkit';

export interface AckedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

export interface RunningProducer {
  readonly acked: AckedRecord[];
  /** Sends failed for good (delivery timeout, fatal errors) — never acknowledged. */
  readonly failed: () => number;
  /** Producers replaced after librdkafka's known pre-2.3.0 fatal error (see PYTHON_PRODUCER), with its message. */
  readonly restarts?: readonly string[];
  /** Stops sending and waits for what is in flight to be acknowledged or to fail. */
  stop(): Promise<void>;
}

/**
 * A confluent-kafka (librdkafka) producer in its own process: "partition offset value" per
 * acknowledgement.
 *
 * librdkafka before 2.3.0 (Debian ships 2.0.2) has a known idempotence bug, confluentinc/librdkafka
 * PR #4438: after a disconnection it counts the request in flight as possibly persisted and moves
 * its next expected sequence past it; when the retry then fails without being persisted (a new
 * leader answering NOT_ENOUGH_REPLICAS) and the next request gets OUT_OF_ORDER_SEQUENCE_NUMBER, it
 * raises a fatal "sequence desynchronization" error — against Apache Kafka too (librdkafka #3584).
 * Only for that error and only on such a version, the script replaces the dead producer by a new
 * one (a new producer id, values under a new prefix so that the order check follows each
 * producer) and prints "restarted <reason>"; every other fatal error still ends it with status 1.
 */
const PYTHON_PRODUCER = `
import os, sys, signal
from confluent_kafka import Producer, KafkaException, libversion
conf = {'bootstrap.servers': os.environ['BOOTSTRAP'], 'acks': os.environ['ACKS'], 'linger.ms': 5,
        'message.timeout.ms': 120000, 'enable.idempotence': os.environ['IDEMPOTENCE'] == 'true',
        'retry.backoff.ms': 100, 'topic.metadata.refresh.interval.ms': 1000}
fatal = []
def on_error(err):
    if err.fatal():
        fatal.append(err.str())
conf['error_cb'] = on_error
p = Producer(conf)
failed = 0
def cb(err, msg):
    global failed
    if err is None:
        sys.stdout.write('%d %d %s\\n' % (msg.partition(), msg.offset(), msg.value().decode()))
    else:
        failed += 1
        sys.stderr.write('failed %s\\n' % err)
    sys.stdout.flush()
stopping = False
def stop(*_):
    global stopping
    stopping = True
signal.signal(signal.SIGTERM, stop)
partitions = int(os.environ['PARTITIONS'])
prefix = os.environ['PREFIX']
generation = 0
i = 0
while not stopping:
    try:
        p.produce(os.environ['TOPIC'], value=('%s-%d' % (prefix, i)).encode(), partition=i % partitions, on_delivery=cb)
        i += 1
        p.poll(0.002)
    except BufferError:
        p.poll(0.05)
    except KafkaException:
        p.poll(0.5)
        reason = fatal[-1] if fatal else ''
        if libversion()[1] >= 0x02030000 or 'sequence desynchronization' not in reason:
            raise
        p.flush(30)
        generation += 1
        prefix = '%s~%d' % (os.environ['PREFIX'], generation)
        i = 0
        fatal.clear()
        sys.stdout.write('restarted %s\\n' % reason.replace('\\n', ' '))
        sys.stdout.flush()
        p = Producer(conf)
p.flush(120)
sys.stdout.write('done %d\\n' % failed)
sys.stdout.flush()
`;

export function startPythonProducer(
  bootstrap: string,
  topic: string,
  options: { acks: string; idempotence: boolean; partitions: number; prefix: string },
): RunningProducer {
  const python = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
  const acked: AckedRecord[] = [];
  const restarts: string[] = [];
  let failed = 0;
  const child: ChildProcess = spawn(python, ['-c', PYTHON_PRODUCER], {
    env: {
      ...process.env,
      BOOTSTRAP: bootstrap,
      TOPIC: topic,
      ACKS: options.acks,
      IDEMPOTENCE: String(options.idempotence),
      PARTITIONS: String(options.partitions),
      PREFIX: options.prefix,
    },
  });
  let pending = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('restarted ')) {
          restarts.push(line.slice('restarted '.length));
          continue;
        }
        if (line.startsWith('done ')) {
          failed = Number(line.slice(5));
          resolve();
          continue;
        }
        const [partition, offset, value] = line.split(' ');
        acked.push({ partition: Number(partition), offset: Number(offset), value: value as string });
      }
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`producer exited ${code}: ${stderr}`))));
  });
  return {
    acked,
    failed: () => failed,
    restarts,
    async stop() {
      child.kill('SIGTERM');
      await done;
    },
  };
}

/** Samsa's producer in this process, up to `inFlight` sends outstanding. */
export function startSamsaProducer(
  bootstrap: string,
  topic: string,
  options: { acks: 'all' | '1'; partitions: number; prefix: string; inFlight?: number },
): RunningProducer {
  const producer = new Producer<string, string>({
    'bootstrap.servers': bootstrap,
    valueSerializer: 'string',
    acks: options.acks === 'all' ? 'all' : 1,
    'enable.idempotence': options.acks === 'all',
    'linger.ms': 5,
    'retry.backoff.ms': 100,
    'delivery.timeout.ms': 120000,
    'request.timeout.ms': 10000,
  });
  const acked: AckedRecord[] = [];
  let failed = 0;
  let stopping = false;
  const outstanding = new Set<Promise<void>>();
  const limit = options.inFlight ?? 50;
  const loop = (async () => {
    for (let i = 0; !stopping; i++) {
      const value = `${options.prefix}-${i}`;
      const send = producer
        .send({ topic, partition: i % options.partitions, value })
        .then(
          (meta) => {
            acked.push({ partition: meta.partition, offset: Number(meta.offset), value });
          },
          () => {
            failed++;
          },
        )
        .finally(() => outstanding.delete(send));
      outstanding.add(send);
      if (outstanding.size >= limit) await Promise.race(outstanding);
      else if (i % 20 === 0) await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    acked,
    failed: () => failed,
    async stop() {
      stopping = true;
      await loop;
      await Promise.all(outstanding);
      await producer.close();
    },
  };
}

/** Every record of every partition, from the log start to the end, with its offset. */
export async function readAllPartitions(
  bootstrap: string,
  topic: string,
  partitions: number,
  timeoutMs = 60000,
  consumerConfig: Readonly<Record<string, string | number>> = {},
): Promise<Map<number, AckedRecord[]>> {
  const admin = new Admin({ 'bootstrap.servers': bootstrap });
  const ends = new Map<number, number>();
  try {
    const listed = await admin.listOffsets(
      Array.from({ length: partitions }, (_, partition) => ({ topic, partition, timestamp: OffsetSpec.LATEST })),
    );
    for (const l of listed) ends.set(l.partition, Number(l.offset));
  } finally {
    await admin.close();
  }
  const stored = new Map<number, AckedRecord[]>(Array.from({ length: partitions }, (_, p) => [p, []]));
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  if (remaining.size === 0) return stored;
  const consumer = new Consumer({
    'bootstrap.servers': bootstrap,
    'auto.offset.reset': 'earliest',
    'max.poll.records': 5000,
    ...consumerConfig,
  });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const deadline = Date.now() + timeoutMs;
  try {
    for await (const record of consumer) {
      const offset = Number(record.offset);
      stored.get(record.partition)?.push({ partition: record.partition, offset, value: String(record.value) });
      if (offset + 1 >= (ends.get(record.partition) ?? 0)) remaining.delete(record.partition);
      if (remaining.size === 0) break;
      if (Date.now() > deadline) throw new Error(`reading ${topic} did not reach the end within ${timeoutMs} ms`);
    }
  } finally {
    await consumer.close();
  }
  return stored;
}

/**
 * The checks of the fault tests: every acknowledged record is in the log at the offset it was
 * acknowledged with, no value is stored twice, and each producer's records of a partition are in
 * the order it sent them.
 */
export function assertNoLossNoDuplicates(acked: readonly AckedRecord[], stored: Map<number, AckedRecord[]>): void {
  const byOffset = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [partition, records] of stored) {
    let previous = -1;
    const lastSequence = new Map<string, number>();
    for (const r of records) {
      assert.ok(r.offset > previous, `offsets increase in partition ${partition}`);
      previous = r.offset;
      byOffset.set(`${partition}:${r.offset}`, r.value);
      const where = `${partition}:${r.offset}`;
      const before = seen.get(r.value);
      assert.equal(before, undefined, `${r.value} stored twice: at ${before} and ${where}`);
      seen.set(r.value, where);
      const dash = r.value.lastIndexOf('-');
      const prefix = r.value.slice(0, dash);
      const sequence = Number(r.value.slice(dash + 1));
      const last = lastSequence.get(prefix) ?? -1;
      assert.ok(sequence > last, `${r.value} stored after ${prefix}-${last} in partition ${partition}: order broken`);
      lastSequence.set(prefix, sequence);
    }
  }
  const lost = acked.filter((a) => byOffset.get(`${a.partition}:${a.offset}`) !== a.value);
  assert.deepEqual(
    lost.slice(0, 10),
    [],
    `${lost.length} acknowledged records are missing or elsewhere (first ones shown)`,
  );
}

/** The acknowledged records whose value is not at its acknowledged place (the figure of acks=1 tests). */
export function countLost(acked: readonly AckedRecord[], stored: Map<number, AckedRecord[]>): number {
  const byOffset = new Map<string, string>();
  for (const [partition, records] of stored) for (const r of records) byOffset.set(`${partition}:${r.offset}`, r.value);
  return acked.filter((a) => byOffset.get(`${a.partition}:${a.offset}`) !== a.value).length;
}
