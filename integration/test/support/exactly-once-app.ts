/**
 * A consume-transform-produce application on `ExactlyOnceProcessor`, run as a child process by
 * the exactly-once fault tests: every record of INPUT becomes `out-<value>` (same key) in OUTPUT.
 *
 * One instance per SLOT: `transactional.id` and `group.instance.id` are `<GROUP>-slot-<SLOT>`,
 * so an instance started again in its slot (after a crash, or while the old one hangs) fences
 * its predecessor's producer and takes its group membership over without a rebalance.
 *
 * Prints JSON lines on stdout: `{"ev":"started"}` once initialized, `{"ev":"commit","records",
 * "total"}` per committed transaction, `{"ev":"abort","error"}`, and `{"ev":"fatal","error",
 * "code"}` before exiting with status 3 when `run()` rejects (fenced). SIGTERM closes cleanly.
 *
 * Environment: BOOTSTRAP, INPUT, OUTPUT, GROUP, SLOT; THROTTLE_MS (a pause every 100 input
 * records, to make a run last long enough for faults to land in it), MAX_RECORDS_PER_TXN;
 * FAIL_VALUES (comma-separated input values whose transform throws the first time this process
 * meets them: the processor aborts and processes them again).
 */
import diagnostics from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConsumerRecord, ExactlyOnceProcessor, KafkaError, type ProcessorEvent } from '@samsa/client';

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
}

const bootstrap = env('BOOTSTRAP');
const input = env('INPUT');
const output = env('OUTPUT');
const group = env('GROUP');
const slot = env('SLOT');
const throttleMs = Number(env('THROTTLE_MS', '0'));
const maxRecordsPerTransaction = Number(env('MAX_RECORDS_PER_TXN', '500'));
const failOnce = new Set(
  env('FAIL_VALUES', '')
    .split(',')
    .filter((v) => v !== ''),
);
const id = `${group}-slot-${slot}`;

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...event, slot, pid: process.pid })}\n`);
}

let total = 0;
diagnostics.subscribe('samsa:client:processor', (message) => {
  const event = message as ProcessorEvent;
  if (event.event === 'commit') {
    total += event.records;
    emit({ ev: 'commit', records: event.records, total });
  } else if (event.event === 'abort') {
    emit({ ev: 'abort', records: event.records, error: String(event.error) });
  } else if (event.event === 'assigned' || event.event === 'revoked' || event.event === 'lost') {
    emit({ ev: event.event, partitions: event.partitions.map((tp) => tp.partition) });
  }
});

const processor = new ExactlyOnceProcessor<string, string, string, string>({
  consumer: {
    'bootstrap.servers': bootstrap,
    'group.id': group,
    'group.instance.id': id,
    'client.id': id,
    'auto.offset.reset': 'earliest',
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    'fetch.max.wait.ms': 100,
    'max.poll.records': maxRecordsPerTransaction,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  },
  producer: {
    'bootstrap.servers': bootstrap,
    'transactional.id': id,
    'client.id': id,
    'transaction.timeout.ms': 30000,
    'linger.ms': 5,
    keySerializer: 'string',
    valueSerializer: 'string',
  },
  topics: [input],
  maxRecordsPerTransaction,
  transform: async (record: ConsumerRecord<string, string>) => {
    if (throttleMs > 0 && record.offset % 100n === 0n) await sleep(throttleMs);
    if (record.value !== null && failOnce.delete(record.value)) throw new Error(`transform failed on ${record.value}`);
    return { topic: output, key: record.key, value: `out-${record.value}` };
  },
});

process.once('SIGTERM', () => {
  void processor.close();
});

emit({ ev: 'started' });
try {
  await processor.run();
  emit({ ev: 'closed', total });
  process.exit(0);
} catch (error) {
  emit({
    ev: 'fatal',
    error: String(error),
    code: error instanceof KafkaError ? error.errorName : undefined,
  });
  process.exit(3);
}
