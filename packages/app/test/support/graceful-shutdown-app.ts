/**
 * The child process of graceful-shutdown.test.ts: a KafkaApplication whose listener takes
 * ~300 ms per record and writes `start <offset>` and `done <offset>` to stdout around each one,
 * and `started` once the application is up. The parent sends SIGTERM while a record is in
 * flight; the application's own signal handler must stop it gracefully and exit with code 0.
 *
 * Usage: node graceful-shutdown-app.js <bootstrap> <topic> <group>
 */
import { KafkaApplication } from '../../src/index.js';

const [bootstrap, topic, group] = process.argv.slice(2);
if (bootstrap === undefined || topic === undefined || group === undefined) {
  process.stderr.write('usage: graceful-shutdown-app <bootstrap> <topic> <group>\n');
  process.exit(2);
}

const say = (line: string) => process.stdout.write(`${line}\n`);

const app = new KafkaApplication({
  common: { 'bootstrap.servers': bootstrap },
  consumer: {
    'auto.offset.reset': 'earliest',
    'fetch.max.wait.ms': 50,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    // One record per poll: a graceful stop finishes exactly the record in flight.
    'max.poll.records': 1,
  },
  listener: { pollTimeoutMs: 200 },
});

app.listen({ id: group, topics: topic }, async (record) => {
  say(`start ${record.offset}`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  say(`done ${record.offset}`);
});

await app.start();
say('started');
