// A word count run as its own process by tests that SIGKILL it (test/runtime/*-crash.test.ts).
// Each record costs ~1 ms (a blocking wait) so that a kill lands in the middle of the input.
// Prints RUNNING once it processes; exits cleanly on SIGTERM.
import { KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const pause = new Int32Array(new SharedArrayBuffer(4));
const builder = new StreamsBuilder();
builder
  .stream<string, string>(env('INPUT'))
  .peek(() => Atomics.wait(pause, 0, 0, 1))
  .flatMapValues((v) => v.split(' '))
  .groupBy((_k, w) => w)
  .count()
  .toStream()
  .to(env('OUTPUT'), Produced.with(Serdes.String(), Serdes.Long()));
const streams = new KafkaStreams(builder.build(), {
  'application.id': env('APP'),
  'bootstrap.servers': env('BOOTSTRAP'),
  'default.key.serde': Serdes.String(),
  'default.value.serde': Serdes.String(),
  'state.dir': env('STATE_DIR'),
  'processing.guarantee': env('GUARANTEE'),
  // Every update goes out (no record cache), so that tests can check each count exactly once.
  'statestore.cache.max.bytes': 0,
  'consumer.session.timeout.ms': 6000,
  'consumer.heartbeat.interval.ms': 500,
  'producer.transaction.timeout.ms': 2000,
});
streams.setStateListener((state) => {
  if (state === 'RUNNING') console.log('RUNNING');
});
streams.setUncaughtExceptionHandler((error) => {
  console.error(error);
  process.exit(1);
});
process.once('SIGTERM', () => {
  streams.close().then(() => process.exit(0));
});
await streams.start();
