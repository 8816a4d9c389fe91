/**
 * kafka-verifiable-producer.sh and kafka-verifiable-consumer.sh, the clients Kafka's system tests
 * check for loss with: against one broker (every event line, its fields in Kafka's order, the
 * consumer group committing after each batch, two consumers splitting the partitions, SIGTERM),
 * and against a 3-broker cluster where a broker is killed mid-run and restarted — every value the
 * producer saw acknowledged is then consumed, at the offset it was acknowledged at.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess, KafkaCluster } from '@samsa/testkit';
import { describeTopic, eventually } from '../cluster/cluster-support.js';
import { BIN, samsa, script } from './cli-support.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON events of any kind
type Event = Record<string, any>;

/** Kafka's field order per event name (Jackson: timestamp and name, then fields, then accessors). */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  startup_complete: ['timestamp', 'name'],
  shutdown_complete: ['timestamp', 'name'],
  producer_send_success: ['timestamp', 'name', 'key', 'value', 'topic', 'partition', 'offset'],
  producer_send_error: ['timestamp', 'name', 'topic', 'key', 'value', 'exception', 'message'],
  tool_data: ['timestamp', 'name', 'sent', 'acked', 'target_throughput', 'avg_throughput'],
  partitions_assigned: ['timestamp', 'name', 'partitions'],
  partitions_revoked: ['timestamp', 'name', 'partitions'],
  records_consumed: ['timestamp', 'name', 'count', 'partitions'],
  record_data: ['timestamp', 'name', 'key', 'value', 'topic', 'partition', 'offset'],
  offsets_committed: ['timestamp', 'name', 'offsets', 'success'],
};

/** Every stdout line as an event, each checked against Kafka's field names and order. */
function events(stdout: string): Event[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const event = JSON.parse(line) as Event;
      const expected = FIELDS[event.name];
      assert.ok(expected !== undefined, `unknown event ${line}`);
      const keys = Object.keys(event);
      if (event.name === 'offsets_committed' && event.success === false) {
        assert.deepEqual(keys, ['timestamp', 'name', 'offsets', 'error', 'success'], line);
      } else assert.deepEqual(keys, expected, line);
      assert.equal(typeof event.timestamp, 'number');
      return event;
    });
}

const named = (all: Event[], name: string) => all.filter((e) => e.name === name);
const tp = (p: { topic: string; partition: number }) => `${p.topic}-${p.partition}`;

/** Clients still running, killed after each suite so that a failed test leaves none behind. */
const started = new Set<Running>();
function killLeftovers(): void {
  for (const r of started) r.child.kill('SIGKILL');
}

/** A verifiable client running in the background, its events read as they come. */
class Running {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(scriptName: string, args: readonly string[]) {
    this.child = spawn(join(BIN, scriptName), args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    this.child.stdout?.on('data', (c: Buffer) => {
      this.stdout += c.toString('utf8');
    });
    this.child.stderr?.on('data', (c: Buffer) => {
      this.stderr += c.toString('utf8');
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    started.add(this);
    void this.exited.then(() => started.delete(this));
  }

  /** The complete lines so far, as events. */
  events(): Event[] {
    return events(this.stdout.slice(0, this.stdout.lastIndexOf('\n') + 1));
  }

  async waitFor<T>(what: string, found: (events: Event[]) => T | undefined | false, timeoutMs = 60000): Promise<T> {
    try {
      return await eventually(() => found(this.events()), timeoutMs, what);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
    }
  }

  /** SIGTERM, as Kafka's system tests stop their clients; resolves with the exit code. */
  async terminate(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** The partitions of a member's latest assignment. */
function currentAssignment(all: Event[]): string[] | undefined {
  const last = named(all, 'partitions_assigned').at(-1);
  return last === undefined ? undefined : (last.partitions as { topic: string; partition: number }[]).map(tp).sort();
}

describe('verifiable producer and consumer against one broker', () => {
  let broker: BrokerProcess;
  let b: string;
  let produced: Event[] = [];

  const createTopic = async (topic: string, partitions: number) => {
    const created = await samsa([
      'topics',
      '--bootstrap-server',
      b,
      '--create',
      '--topic',
      topic,
      '--partitions',
      String(partitions),
    ]);
    assert.equal(created.code, 0, created.stderr);
  };

  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'group.initial.rebalance.delay.ms': 0 } });
    b = broker.bootstrap;
    await createTopic('verify', 3);
  });
  after(async () => {
    killLeftovers();
    await broker?.close();
  });

  test('the producer prints startup_complete, 1000 acknowledgements with offsets increasing per partition, shutdown_complete and tool_data', async () => {
    const result = await script(
      'kafka-verifiable-producer.sh',
      ['--bootstrap-server', b, '--topic', 'verify', '--max-messages', '1000', '--repeating-keys', '10'],
      '',
      60000,
    );
    assert.equal(result.code, 0, result.stderr);
    const all = events(result.stdout);
    assert.equal(all[0]?.name, 'startup_complete');
    assert.deepEqual(
      all.slice(-2).map((e) => e.name),
      ['shutdown_complete', 'tool_data'],
    );
    produced = named(all, 'producer_send_success');
    assert.equal(produced.length, 1000);
    assert.equal(named(all, 'producer_send_error').length, 0);
    // The values are Kafka's integer sequence as strings; keys 0..9 over and over.
    assert.deepEqual(
      produced.map((e) => e.value).sort((x, y) => Number(x) - Number(y)),
      Array.from({ length: 1000 }, (_, i) => String(i)),
    );
    for (const e of produced) assert.equal(e.key, String(Number(e.value) % 10));
    // Acknowledgements of one partition come in offset order, from 0 without gaps.
    const next = new Map<number, number>();
    for (const e of produced) {
      assert.equal(e.topic, 'verify');
      assert.equal(e.offset, next.get(e.partition) ?? 0, JSON.stringify(e));
      next.set(e.partition, e.offset + 1);
    }
    assert.ok(next.size > 1, 'keys 0..9 spread the records over the partitions');
    const toolData = all.at(-1) as Event;
    assert.equal(toolData.sent, 1000);
    assert.equal(toolData.acked, 1000);
    assert.equal(toolData.target_throughput, -1);
    assert.match(result.stdout, /"avg_throughput":\d+\.\d+(E\d+)?\}\n$/);
  });

  test('the consumer consumes them in a group, committing each batch, and leaves cleanly', async () => {
    assert.equal(produced.length, 1000, 'runs after the producer test');
    const result = await script(
      'kafka-verifiable-consumer.sh',
      ['--bootstrap-server', b, '--topic', 'verify', '--group-id', 'verifiers', '--max-messages', '1000', '--verbose'],
      '',
      60000,
    );
    assert.equal(result.code, 0, result.stderr);
    const all = events(result.stdout);
    assert.equal(all[0]?.name, 'startup_complete');
    assert.deepEqual(currentAssignment(all), ['verify-0', 'verify-1', 'verify-2']);
    const batches = named(all, 'records_consumed');
    const summaries = batches.flatMap((e) => e.partitions as Event[]);
    assert.equal(
      summaries.reduce((sum, s) => sum + s.count, 0),
      1000,
    );
    for (const s of summaries) {
      assert.deepEqual(Object.keys(s), ['topic', 'partition', 'count', 'minOffset', 'maxOffset']);
      assert.equal(s.maxOffset - s.minOffset + 1, s.count);
    }
    // --verbose: every value the producer had acknowledged, at its partition and offset.
    const consumed = new Map(named(all, 'record_data').map((e) => [`${e.partition}@${e.offset}`, e.value]));
    assert.equal(consumed.size, 1000);
    for (const e of produced) assert.equal(consumed.get(`${e.partition}@${e.offset}`), e.value);
    // One commit after each batch, of the offset after its last record per partition.
    const commits = named(all, 'offsets_committed');
    assert.equal(commits.length, batches.length);
    for (const [i, commit] of commits.entries()) {
      assert.equal(commit.success, true);
      assert.deepEqual(
        commit.offsets,
        ((batches[i] as Event).partitions as Event[]).map((s) => ({
          topic: s.topic,
          partition: s.partition,
          offset: s.maxOffset + 1,
        })),
      );
    }
    assert.deepEqual(
      all.slice(-2).map((e) => e.name),
      ['partitions_revoked', 'shutdown_complete'],
    );
    // The group's committed offsets are the log end offsets.
    const admin = new Admin({ 'bootstrap.servers': b });
    try {
      const offsets = await admin.listConsumerGroupOffsets('verifiers');
      const total = offsets.reduce((sum, o) => sum + Number(o.offset), 0);
      assert.equal(total, 1000);
    } finally {
      await admin.close();
    }
  });

  test("--group-protocol consumer: a KIP-848 member with the broker's range assignor reads everything", async () => {
    assert.equal(produced.length, 1000, 'runs after the producer test');
    const result = await script(
      'kafka-verifiable-consumer.sh',
      [
        '--bootstrap-server',
        b,
        '--topic',
        'verify',
        '--group-id',
        'verifiers-kip848',
        '--group-protocol',
        'CONSUMER',
        '--group-remote-assignor',
        'range',
        '--max-messages',
        '1000',
      ],
      '',
      60000,
    );
    assert.equal(result.code, 0, result.stderr);
    const all = events(result.stdout);
    assert.deepEqual(currentAssignment(all), ['verify-0', 'verify-1', 'verify-2']);
    const summaries = named(all, 'records_consumed').flatMap((e) => e.partitions as Event[]);
    assert.equal(
      summaries.reduce((sum, s) => sum + s.count, 0),
      1000,
    );
    const admin = new Admin({ 'bootstrap.servers': b });
    try {
      const listed = (await admin.listGroups()).find((g) => g.groupId === 'verifiers-kip848');
      assert.equal(listed?.type, 'consumer', 'a KIP-848 group, not a classic one');
    } finally {
      await admin.close();
    }
    const bad = await script('kafka-verifiable-consumer.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'verify',
      '--group-id',
      'g',
      '--group-protocol',
      'share',
    ]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /argument --group-protocol: must be one of CLASSIC, CONSUMER/);
  });

  test('two verifiable consumers in one group split the partitions', async () => {
    await createTopic('shared', 4);
    const args = [
      '--bootstrap-server',
      b,
      '--topic',
      'shared',
      '--group-id',
      'splitters',
      '--session-timeout',
      '10000',
    ];
    const first = new Running('kafka-verifiable-consumer.sh', args);
    let second: Running | undefined;
    try {
      await first.waitFor('the first member owning all four partitions', (all) => currentAssignment(all)?.length === 4);
      second = new Running('kafka-verifiable-consumer.sh', args);
      const joined = second;
      await joined.waitFor('a 2+2 split', (all) => {
        const a = currentAssignment(first.events()) ?? [];
        const c = currentAssignment(all) ?? [];
        return a.length === 2 && c.length === 2 && new Set([...a, ...c]).size === 4;
      });
      // The first member gave its partitions up before the group split them (eager rebalance).
      assert.ok(named(first.events(), 'partitions_revoked').length >= 1, first.stdout);
    } finally {
      await Promise.all([first.terminate(), second?.terminate()]);
    }
    assert.equal(await first.exited, 0, first.stderr);
    assert.equal(await second.exited, 0, second.stderr);
    for (const member of [first, second]) {
      const all = member.events();
      assert.equal(all[0]?.name, 'startup_complete');
      assert.equal(all.at(-1)?.name, 'shutdown_complete');
    }
  });

  test('a consumer started before its topic exists is assigned it once a producer creates it', async () => {
    const consumer = new Running('kafka-verifiable-consumer.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'late',
      '--group-id',
      'early-birds',
      '--max-messages',
      '20',
    ]);
    await consumer.waitFor('the first (empty) assignment', (all) => currentAssignment(all) !== undefined);
    const produced = await script('kafka-verifiable-producer.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'late',
      '--max-messages',
      '20',
    ]);
    assert.equal(produced.code, 0, produced.stderr);
    await consumer.waitFor('shutdown after 20 records', (all) => all.at(-1)?.name === 'shutdown_complete', 30000);
    assert.equal(await consumer.exited, 0, consumer.stderr);
    const all = consumer.events();
    const total = named(all, 'records_consumed')
      .flatMap((e) => e.partitions as Event[])
      .reduce((sum, s) => sum + s.count, 0);
    assert.equal(total, 20);
    assert.equal(all.at(-1)?.name, 'shutdown_complete');
  });

  test('SIGTERM stops an unlimited, throttled producer with shutdown_complete and tool_data', async () => {
    const producer = new Running('kafka-verifiable-producer.sh', [
      '--bootstrap-server',
      b,
      '--topic',
      'verify',
      '--throughput',
      '100',
      '--value-prefix',
      '7',
    ]);
    await producer.waitFor('some acknowledgements', (all) => named(all, 'producer_send_success').length >= 20);
    assert.equal(await producer.terminate(), 0, producer.stderr);
    const all = producer.events();
    assert.deepEqual(
      all.slice(-2).map((e) => e.name),
      ['shutdown_complete', 'tool_data'],
    );
    const acked = named(all, 'producer_send_success');
    for (const e of acked) assert.match(e.value, /^7\.\d+$/);
    const toolData = all.at(-1) as Event;
    assert.equal(toolData.target_throughput, 100);
    assert.equal(toolData.acked, acked.length);
    assert.equal(toolData.sent, toolData.acked, 'close waits for every record sent');
    assert.ok(toolData.avg_throughput < 150, `throttled to about 100/s: ${toolData.avg_throughput}`);
  });

  test("--help, argparse4j's errors, and kafka-run-class.sh with the Java class names", async () => {
    const help = await script('kafka-verifiable-producer.sh', ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: verifiable-producer \[-h\] --topic TOPIC /);
    assert.match(help.stdout, /\nConnection Group:\n {2}Group of arguments for connection to brokers\n/);
    const missing = await script('kafka-verifiable-consumer.sh', ['--topic', 't', '--bootstrap-server', b]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^usage: verifiable-consumer /);
    assert.match(missing.stderr, /\nverifiable-consumer: error: argument --group-id is required\n$/);
    const both = await script('kafka-verifiable-producer.sh', [
      '--topic',
      't',
      '--bootstrap-server',
      b,
      '--broker-list',
      b,
    ]);
    assert.match(
      both.stderr,
      /verifiable-producer: error: argument --broker-list: not allowed with argument --bootstrap-server\n$/,
    );
    const acks = await script('kafka-verifiable-producer.sh', ['--topic', 't', '--bootstrap-server', b, '--acks', '2']);
    assert.match(acks.stderr, /error: argument --acks: invalid choice: '2' \(choose from \{0,1,-1\}\)\n$/);
    const viaRunClass = await script('kafka-run-class.sh', [
      'org.apache.kafka.tools.VerifiableProducer',
      '--broker-list',
      b,
      '--topic',
      'verify',
      '--max-messages',
      '3',
      '--acks',
      '1',
    ]);
    assert.equal(viaRunClass.code, 0, viaRunClass.stderr);
    assert.equal(named(events(viaRunClass.stdout), 'producer_send_success').length, 3);
    const consumerHelp = await script('kafka-run-class.sh', ['org.apache.kafka.tools.VerifiableConsumer', '--help']);
    assert.match(consumerHelp.stdout, /^usage: verifiable-consumer /);
  });
});

describe('verifiable clients against a 3-broker cluster with a broker killed mid-run', () => {
  let cluster: KafkaCluster;

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 3,
      properties: {
        'zookeeper.session.timeout.ms': 4000,
        'replica.lag.time.max.ms': 5000,
        'group.min.session.timeout.ms': 1000,
        'offsets.topic.num.partitions': 3,
      },
    });
  });
  after(async () => {
    killLeftovers();
    await cluster?.close();
  });

  test('every value acknowledged with acks=all is consumed, at the offset it was acknowledged at', async (t) => {
    const created = await script('kafka-topics.sh', [
      '--bootstrap-server',
      cluster.bootstrap,
      '--create',
      '--topic',
      'durable',
      '--partitions',
      '3',
      '--replication-factor',
      '3',
    ]);
    assert.equal(created.code, 0, created.stderr);
    await eventually(
      async () => {
        const d = await describeTopic(cluster.bootstrap, 'durable');
        return d?.partitions.length === 3 && d.partitions.every((p) => p.leader >= 0 && p.isr.length === 3);
      },
      30000,
      'durable in sync',
    );
    const producer = new Running('kafka-verifiable-producer.sh', [
      '--bootstrap-server',
      cluster.bootstrap,
      '--topic',
      'durable',
      '--acks',
      '-1',
      '--throughput',
      '200',
      '--max-messages',
      '3000',
      '--repeating-keys',
      '30',
    ]);
    await producer.waitFor('500 acknowledgements', (all) => named(all, 'producer_send_success').length >= 500, 60000);
    // Kill the leader of partition 0 without a controlled shutdown, and bring it back.
    const victim = (await describeTopic(cluster.bootstrap, 'durable'))?.partitions[0]?.leader;
    assert.ok(victim !== undefined && victim >= 0);
    await cluster.kill(victim);
    const killedAt = named(producer.events(), 'producer_send_success').length;
    await new Promise((r) => setTimeout(r, 3000));
    await cluster.startBroker(victim);
    await producer.waitFor('the end of the run', (all) => all.at(-1)?.name === 'tool_data', 180000);
    assert.equal(await producer.exited, 0, producer.stderr);
    const produced = producer.events();
    assert.deepEqual(
      produced.slice(-2).map((e) => e.name),
      ['shutdown_complete', 'tool_data'],
    );
    const acked = named(produced, 'producer_send_success');
    const toolData = produced.at(-1) as Event;
    assert.equal(toolData.sent, 3000);
    assert.equal(toolData.acked, acked.length);
    assert.ok(acked.length > killedAt, 'acknowledgements went on after the kill');
    const failed = named(produced, 'producer_send_error');
    t.diagnostic(
      `broker ${victim} killed after ${killedAt} acknowledgements; ${acked.length} acknowledged, ${failed.length} failed (${[...new Set(failed.map((e) => e.exception))].join(', ')}); first: ${JSON.stringify(failed[0])}`,
    );
    for (const e of failed) {
      assert.match(e.exception, /^class org\.apache\.kafka\.common\.errors\.\w+Exception$/, JSON.stringify(e));
    }

    // The loss check of Kafka's system tests: consume everything and look for each acked value.
    const consumer = new Running('kafka-verifiable-consumer.sh', [
      '--bootstrap-server',
      cluster.bootstrap,
      '--topic',
      'durable',
      '--group-id',
      'loss-check',
      '--verbose',
    ]);
    const ackedAt = new Map(acked.map((e) => [`${e.partition}@${e.offset}`, e.value as string]));
    try {
      await consumer.waitFor(
        `every acknowledged value (${acked.length}) consumed`,
        (all) => {
          const seen = new Set(named(all, 'record_data').map((e) => e.value as string));
          return acked.every((e) => seen.has(e.value));
        },
        90000,
      );
    } finally {
      assert.equal(await consumer.terminate(), 0, consumer.stderr);
    }
    const consumed = consumer.events();
    assert.equal(consumed.at(-1)?.name, 'shutdown_complete');
    const byOffset = new Map(named(consumed, 'record_data').map((e) => [`${e.partition}@${e.offset}`, e.value]));
    for (const [at, value] of ackedAt) assert.equal(byOffset.get(at), value, `acknowledged ${value} at ${at}`);
    for (const commit of named(consumed, 'offsets_committed'))
      assert.equal(commit.success, true, JSON.stringify(commit));
  });
});
