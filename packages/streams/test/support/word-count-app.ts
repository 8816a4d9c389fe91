// A word count run as its own process by tests that SIGKILL it (test/runtime/*-crash.test.ts).
// Every PAUSE_EVERY-th record (default: each) costs ~1 ms (a blocking wait) so that a kill or a
// second instance lands in the middle of the input. Prints RUNNING once it processes; exits
// cleanly on SIGTERM. APPLICATION_SERVER, when set, is the instance's application.server;
// NUM_STANDBY_REPLICAS is num.standby.replicas; DEBUG_STATES=1 logs state changes and event-loop stalls to stderr (to diagnose a test run).
import { KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const pause = new Int32Array(new SharedArrayBuffer(4));
const pauseEvery = Number(process.env.PAUSE_EVERY ?? 1);
let seen = 0;
const builder = new StreamsBuilder();
builder
  .stream<string, string>(env('INPUT'))
  .peek(() => {
    if (++seen % pauseEvery === 0) Atomics.wait(pause, 0, 0, 1);
  })
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
  // A poll's batch is processed synchronously; on a loaded machine that can outlast the
  // connection set-up timer of a connection opened at the batch's first send.
  'producer.socket.connection.setup.timeout.ms': 30000,
  ...(process.env.APPLICATION_SERVER === undefined ? {} : { 'application.server': process.env.APPLICATION_SERVER }),
  'num.standby.replicas': Number(process.env.NUM_STANDBY_REPLICAS ?? 0),
});
// Each finished restoration, for tests: RESTORED <changelog partition> <start offset> <records>.
const restoreStarts = new Map<number, bigint>();
streams.setGlobalStateRestoreListener({
  onRestoreStart: (tp, _store, start) => restoreStarts.set(tp.partition, start),
  onRestoreEnd: (tp, _store, total) =>
    console.log(`RESTORED ${tp.partition} ${restoreStarts.get(tp.partition)} ${total}`),
});
streams.setStateListener((state) => {
  if (process.env.DEBUG_STATES !== undefined) console.error(`${new Date().toISOString()} ${process.pid} ${state}`);
  if (state === 'RUNNING') console.log('RUNNING');
});
streams.setUncaughtExceptionHandler((error) => {
  console.error(error);
  process.exit(1);
});
if (process.env.DEBUG_STATES !== undefined) {
  let last = Date.now();
  setInterval(() => {
    const now = Date.now();
    if (now - last > 1500)
      console.error(`${new Date().toISOString()} ${process.pid} event loop blocked ${now - last - 500} ms`);
    last = now;
  }, 500).unref();
}
process.once('SIGTERM', () => {
  streams.close().then(() => process.exit(0));
});
await streams.start();
