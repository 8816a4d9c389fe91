#!/usr/bin/env node
// Kafka Streams throughput against a broker: the raw consumer's rate over an input topic, a
// stateless pipeline (mapValues → filter → to) over the same topic, and the seed's word count
// (flatMapValues → groupBy → count with the default persistent store, at_least_once) over a
// smaller one. The word count is timed from its first record to its last, so that group joins
// and topic creation are not counted. The raw consumer and the stateless pipeline are timed in
// their steady state, from the record after the first `--warmup` to the last (a run of 200 k
// records lasts under a second, of which the first fetch and the JIT's warm-up took half), and
// from their first record too (`fromFirst`). Prints one JSON line.
//   node bench/streams/streams-bench.mjs --bootstrap HOST:PORT [--lines 200000]
//     [--stateless-lines 1000000] [--warmup 100000] [--state-dir DIR]
// bench/run.mjs runs it (scenario streams-word-count) against a fresh broker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Consumer, Producer } from '../../packages/client/dist/src/index.js';
import { KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../packages/streams/dist/src/index.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const bootstrap = arg('--bootstrap');
if (bootstrap === undefined) throw new Error('--bootstrap HOST:PORT is required');
const LINES = Number(arg('--lines', '200000'));
const STATELESS_LINES = Number(arg('--stateless-lines', '1000000'));
const WARMUP = Number(arg('--warmup', '100000'));
if (!(WARMUP >= 0 && WARMUP < STATELESS_LINES)) throw new Error('--warmup must be below --stateless-lines');
const WORDS_PER_LINE = 8;
const VOCABULARY = 1000;
const stateDir = arg('--state-dir') ?? mkdtempSync(join(tmpdir(), 'samsa-streams-bench-'));
const INPUT = 'streams-bench-lines';
const STATELESS_INPUT = 'streams-bench-stateless-lines';
const TIMEOUT_MS = Number(arg('--timeout-ms', '600000'));

/** 8 words per line from a 1,000-word vocabulary, so the word count's store holds 1,000 keys. */
async function produceLines(topic, lines) {
  const producer = new Producer({ 'bootstrap.servers': bootstrap, 'linger.ms': 5, 'batch.size': 262144 });
  const sends = [];
  let x = 12345;
  for (let i = 0; i < lines; i++) {
    const words = [];
    for (let w = 0; w < WORDS_PER_LINE; w++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      words.push(`word${x % VOCABULARY}`);
    }
    sends.push(producer.send({ topic, key: null, value: words.join(' ') }));
    if (sends.length >= 10000) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  await producer.close();
}

/** A rate in the steady state (after the warm-up) and from the first record. */
function rates(progress) {
  const ms = progress.last - progress.warm;
  const fromFirstMs = progress.last - progress.first;
  return {
    records: progress.count - progress.warmCount,
    ms,
    recordsPerSec: ((progress.count - progress.warmCount) / ms) * 1000,
    fromFirst: { records: progress.count, ms: fromFirstMs, recordsPerSec: (progress.count / fromFirstMs) * 1000 },
  };
}

/** The raw consumer: records/s delivered to a batch handler (steady state and from the first record). */
async function rawConsume() {
  const consumer = new Consumer({
    'bootstrap.servers': bootstrap,
    'group.id': 'streams-bench-raw',
    'auto.offset.reset': 'earliest',
    'key.deserializer': 'string',
    'value.deserializer': 'string',
  });
  consumer.subscribe([STATELESS_INPUT]);
  const progress = { count: 0, first: 0, warm: 0, warmCount: 0, last: 0 };
  await new Promise((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ messages }) => {
          const now = performance.now();
          if (progress.count === 0) progress.first = now;
          progress.count += messages.length;
          progress.last = now;
          // Timed from the end of the batch that completes the warm-up.
          if (progress.warm === 0 && progress.count >= WARMUP) {
            progress.warm = now;
            progress.warmCount = progress.count;
          }
          if (progress.count >= STATELESS_LINES) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.close();
  return rates(progress);
}

/** Runs a topology until `expected` records have passed its counting peek; times first to last. */
async function runApp(id, build, expected, warmup = 0) {
  const builder = new StreamsBuilder();
  const progress = { count: 0, first: 0, warm: 0, warmCount: 0, last: 0 };
  const tick = () => {
    const now = performance.now();
    if (progress.count === 0) progress.first = now;
    progress.count++;
    progress.last = now;
    if (progress.count === Math.max(warmup, 1)) {
      progress.warm = now;
      progress.warmCount = progress.count;
    }
  };
  build(builder, tick);
  const streams = new KafkaStreams(builder.build(), {
    'application.id': id,
    'bootstrap.servers': bootstrap,
    'default.key.serde': Serdes.String(),
    'default.value.serde': Serdes.String(),
    'state.dir': stateDir,
    'commit.interval.ms': 1000,
  });
  let failure;
  streams.setUncaughtExceptionHandler((error) => {
    failure = error;
  });
  await streams.start();
  const deadline = Date.now() + TIMEOUT_MS;
  while (progress.count < expected && failure === undefined) {
    if (Date.now() > deadline) throw new Error(`${id}: ${progress.count} of ${expected} records in ${TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await streams.close();
  if (failure !== undefined) throw failure;
  return rates(progress);
}

try {
  await produceLines(INPUT, LINES);
  await produceLines(STATELESS_INPUT, STATELESS_LINES);
  const raw = await rawConsume();
  // Stateless: every line is upper-cased, the lines whose first word is even-numbered kept.
  const stateless = await runApp(
    'streams-bench-stateless',
    (builder, tick) =>
      builder
        .stream(STATELESS_INPUT)
        .peek(tick)
        .mapValues((v) => v.toUpperCase())
        .filter((_k, v) => Number(v.slice(4, v.indexOf(' '))) % 2 === 0)
        .to('streams-bench-stateless-out'),
    STATELESS_LINES,
    WARMUP,
  );
  // Stateful: the seed's word count. The record cache sends each word's latest count per commit,
  // so the run ends when the latest counts add up to every word of the input: timed from the
  // first line read to the commit that emits the last counts (commit.interval.ms=1000 bounds it).
  const words = LINES * WORDS_PER_LINE;
  const latest = new Map();
  let sum = 0;
  const wordCount = await runApp(
    'streams-bench-wordcount',
    (builder, tick) => {
      let started = false;
      builder
        .stream(INPUT)
        .peek(() => {
          if (!started) tick();
          started = true;
        })
        .flatMapValues((v) => v.split(' '))
        .groupBy((_k, w) => w)
        .count()
        .toStream()
        .peek((word, count) => {
          sum += Number(count) - (latest.get(word) ?? 0);
          latest.set(word, Number(count));
          if (sum === words) tick();
        })
        .to('streams-bench-wordcount-out', Produced.with(Serdes.String(), Serdes.Long()));
    },
    2,
  );
  // Timed from the first line (the warm-up is counted here: the target is met with it).
  const wordCountMs = wordCount.fromFirst.ms;
  console.log(
    JSON.stringify({
      lines: LINES,
      statelessLines: STATELESS_LINES,
      warmup: WARMUP,
      wordsPerLine: WORDS_PER_LINE,
      raw,
      stateless,
      wordCount: {
        records: words,
        ms: wordCountMs,
        recordsPerSec: (words / wordCountMs) * 1000,
        linesPerSec: (LINES / wordCountMs) * 1000,
      },
    }),
  );
} finally {
  if (arg('--state-dir') === undefined) rmSync(stateDir, { recursive: true, force: true });
}
