#!/usr/bin/env node
// librdkafka's own test suite against Samsa (`npm run test:compat`). See compat/README.md.
//
//   node compat/run.mjs [--jobs N] [--timeout SEC] [--tests 0001,0045] [--ci] [--quick] [--retries N]
//                       [--brokers N]
//
// Obtains and builds librdkafka 2.15.1 and its test runner (cached in compat/.cache) and the Kafka
// client API stubs its tests/java compile against (java-api-stubs/; of those Java helpers,
// 0098's TransactionProducerCli runs as a port on Samsa's client: bin/kafka-run-class.sh), starts the
// Samsa brokers of each scenario on loopback — a 3-broker cluster on a real ZooKeeper, as the
// suite's own trivup clusters, or with --brokers 1 a single broker without ZooKeeper; for rows
// name@SETUP, brokers with SSL, SASL and OIDC listeners and the client settings trivup gives
// (lib/security.mjs); for rows name@consumer, the same brokers with the suite's consumers on the
// KIP-848 group protocol (TEST_CONSUMER_GROUP_PROTOCOL=consumer) — runs every broker test number in its own test-runner process (N at a
// time), writes compat/results/, and compares each test's outcome with compat/expectations.tsv.
// Exits non-zero when a test expected to pass did not.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compare, loadExpectations } from './lib/expectations.mjs';
import { ensureJavaApiStubs } from './lib/java-api-stubs.mjs';
import { brokerTests, ensureBuild, ensureBuildPackages, ensureSource, LIBRDKAFKA_VERSION } from './lib/librdkafka.mjs';
import { writeReports } from './lib/report.mjs';
import { runUnit } from './lib/run-unit.mjs';
import { ScenarioBrokers } from './lib/scenario-brokers.mjs';
import { SECURED_LISTENERS, SETUPS, SecuritySetups } from './lib/security.mjs';

/**
 * The Kafka version Samsa claims, for the suite's version gates. Samsa's API ranges are Kafka's
 * 3.9/4.0 specs, and it behaves as 4.0 where the two differ: it stores only message format v2
 * (Produce v0-2 are advertised but answered UNSUPPORTED_VERSION, as Kafka 4.0 does) and serves
 * Fetch from v4. With 3.9 the suite would exercise message formats v0/v1
 * (api.version.request=false, MsgVersion 1) that Kafka 4.0 removed. The version only gates
 * client-side features: the suite talks to brokers through the Kafka protocol alone, so that the
 * cluster's ZooKeeper (which Kafka 4.0 no longer has) is invisible to it.
 */
export const KAFKA_VERSION = '4.0.0';

/** Broker settings per test scenario (tests/scenarios/*.json of the suite). */
const SCENARIOS = {
  default: { 'auto.create.topics.enable': true },
  noautocreate: { 'auto.create.topics.enable': false },
};
/**
 * The brokers of rows `name@SETUP` (lib/security.mjs): the `default` scenario's, with SSL, SASL and
 * OIDC listeners besides PLAINTEXT. One cluster serves every setup; a setup is what the client
 * gets (test.conf, environment).
 */
const SECURED = 'secured';
/** Every broker's settings; the replication factors are a single broker's (a cluster's below). */
const BROKER_PROPERTIES = {
  'num.partitions': 4,
  'default.replication.factor': 1,
  'offsets.topic.replication.factor': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  // Kafka's default, which the suite's brokers (trivup) keep: tests count rebalances and assume
  // that consumers subscribing together land in one (0113, 0102, 0089 fail with 0).
  'group.initial.rebalance.delay.ms': 3000,
  'delete.topic.enable': true,
  // 0077_compaction asks for segment.ms=500 and min.cleanable.dirty.ratio=0.01 on its topic and
  // then waits for the cleaner; Kafka's cleaner backs off 15 s when idle.
  'log.cleaner.backoff.ms': 1000,
  // As trivup's brokers: ACLs on, everything allowed where no ACL names the resource. 0115, 0119,
  // 0109 and 0081's ACL parts add ACLs with kafka-acls.sh or the admin API.
  'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
  'allow.everyone.if.no.acl.found': true,
};
/**
 * What a cluster adds, as trivup's clusters have it (tests/cluster_testing.py and trivup's
 * KafkaBrokerApp): replication factor min(3, N) for new topics, Kafka's defaults for the internal
 * topics (replication factor 3, transaction state min ISR 2), and a rack per broker (RACK<id>)
 * with the rack-aware replica selector: 0101_fetch_from_follower skips unless it finds three racks.
 */
function clusterProperties(brokers) {
  return {
    'default.replication.factor': Math.min(3, brokers),
    'offsets.topic.replication.factor': Math.min(3, brokers),
    'transaction.state.log.replication.factor': Math.min(3, brokers),
    'transaction.state.log.min.isr': Math.min(2, brokers),
    'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector',
    // The longest session the harness's ZooKeeper grants (20 ticks of 500 ms); the harness's 6 s
    // suits its failover tests, but a broker on 2 busy cores must not lose its session.
    'zookeeper.session.timeout.ms': 10000,
  };
}

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '900' },
    tests: { type: 'string' },
    ci: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    retries: { type: 'string', default: '1' },
    // The suite's clusters have 3 brokers (scenarios/*.json: replication_factor 3); 1 runs a
    // single broker without ZooKeeper and leaves out the tests that need more.
    brokers: { type: 'string', default: '3' },
  },
});
const jobs = Math.max(1, Number(opts.jobs));
const brokerCount = Math.max(1, Number(opts.brokers) || 3);
const cacheDir = process.env.SAMSA_COMPAT_CACHE ?? join(here, '.cache');
const resultsDir = join(here, 'results');
const expectationsPath = join(here, 'expectations.tsv');

/**
 * Rows `name@consumer` run a test with TEST_CONSUMER_GROUP_PROTOCOL=consumer: its consumers join
 * KIP-848 consumer groups (ConsumerGroupHeartbeat) on the scenario's own brokers. Every other
 * `@SETUP` is a client setup of the secured cluster (lib/security.mjs).
 */
const CONSUMER_PROTOCOL = 'consumer';
/**
 * Rows `name@share` run a share group test (KIP-932) as the suite runs it against Kafka 4.2
 * (TEST_KAFKA_VERSION=4.2.0), on brokers of the scenario of their own with `group.share.enable`.
 * The rest of the suite stays at 4.0.0 until every test is checked at 4.2.
 */
const SHARE_GROUPS = 'share';
const SHARE_KAFKA_VERSION = '4.2.0';
/** Setups served by the scenario's own brokers (not the secured cluster). */
const OWN_BROKER_SETUPS = [CONSUMER_PROTOCOL, SHARE_GROUPS];

function isSecured(setup) {
  return setup !== undefined && !OWN_BROKER_SETUPS.includes(setup);
}

function say(message) {
  process.stdout.write(`${message}\n`);
}

ensureBuildPackages();
const srcDir = ensureSource(cacheDir);
const runner = ensureBuild(srcDir, jobs);
const javaApiStubs = ensureJavaApiStubs(join(here, 'java-api-stubs'), cacheDir);
const expectations = loadExpectations(expectationsPath);

const all = brokerTests(srcDir);
const unlisted = all.filter((t) => !expectations.has(t.name)).map((t) => t.name);
const unknown = [...expectations.values()].filter((e) => !all.some((t) => t.name === e.base));
const badSetups = [...expectations].filter(([, e]) => isSecured(e.setup) && SETUPS[e.setup] === undefined);
if (badSetups.length > 0) {
  for (const [name] of badSetups) {
    say(`expectations.tsv: ${name}: no such setup (${[...Object.keys(SETUPS), ...OWN_BROKER_SETUPS].join(', ')})`);
  }
  process.exit(2);
}
if (unlisted.length > 0 || unknown.length > 0) {
  say(`expectations.tsv is out of date with librdkafka ${LIBRDKAFKA_VERSION}'s test list:`);
  for (const n of unlisted) say(`  missing: ${n}`);
  for (const e of unknown) say(`  not a broker test: ${e.base}`);
  process.exit(2);
}

let selected = [...expectations.keys()];
if (opts.tests !== undefined) {
  const wanted = opts.tests.split(',').map((s) => s.trim());
  selected = selected.filter((name) => wanted.some((w) => name.startsWith(w)));
} else if (opts.ci) {
  selected = selected.filter((name) => expectations.get(name)?.ci);
}

// Tests that need more brokers than this run has are left out (and said so), not failed.
const leftOut = selected.filter((name) => (expectations.get(name)?.brokers ?? 1) > brokerCount);
selected = selected.filter((name) => !leftOut.includes(name));

// One unit per (test number, scenario, setup, sub-test filter): the runner selects tests by
// number, a scenario needs its own brokers, and tests of other scenarios are skipped silently. A
// unit reports its tests under their names in expectations.tsv (name@SETUP[SUBTESTS]).
const units = [];
for (const name of selected) {
  const e = expectations.get(name);
  const t = all.find((x) => x.name === e?.base);
  if (e === undefined || t === undefined) continue;
  const scenario = Object.keys(SCENARIOS).find((s) => t.scenarios.includes(s));
  if (scenario === undefined || (isSecured(e.setup) && scenario !== 'default')) continue;
  let unit = units.find(
    (u) => u.number === t.number && u.scenario === scenario && u.setup === e.setup && u.subtests === e.subtests,
  );
  if (unit === undefined) {
    unit = {
      number: t.number,
      scenario,
      setup: e.setup,
      // The brokers: the scenario's, the secured cluster, or for name@consumer rows brokers of the
      // scenario of their own (a test run twice on the same brokers would see its first run's
      // topics: 0045's regex subscriptions would match them).
      deployment: isSecured(e.setup) ? SECURED : e.setup !== undefined ? `${scenario}@${e.setup}` : scenario,
      subtests: e.subtests,
      tests: [],
      names: new Map(),
      secs: 0,
    };
    units.push(unit);
  }
  unit.tests.push(t);
  unit.names.set(t.name, name);
  unit.secs += e.secs;
}
// Longest first, so that the long tests do not end the run alone.
units.sort((a, b) => b.secs - a.secs);

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(join(resultsDir, 'logs'), { recursive: true });

/**
 * The brokers of each scenario (a cluster of `brokerCount`, or one broker), started on first use
 * and kept for the run; a broker a test brought down is restarted (and reported) before the next
 * test. The map holds promises: workers asking at the same moment share one start.
 */
const deployments = new Map();
const confs = new Map();
const brokerCrashes = [];
/** Certificates, client keys and token endpoint of the secured setups, made with their cluster. */
let security;
async function startDeployment(key) {
  const secured = key === SECURED;
  if (secured) security ??= SecuritySetups.start();
  const scenario = secured ? 'default' : key.replace(/@.*$/, '');
  const deployment = await ScenarioBrokers.start({
    scenario: key,
    brokers: brokerCount,
    properties: {
      ...BROKER_PROPERTIES,
      ...SCENARIOS[scenario],
      ...(brokerCount > 1 ? clusterProperties(brokerCount) : {}),
      ...(secured ? (await security).brokerProperties() : {}),
      // As the suite's Kafka 4.2 clusters (tests/cluster_testing.py): lock durations down to 1 s.
      ...(key.endsWith(`@${SHARE_GROUPS}`)
        ? { 'group.share.enable': true, 'group.share.min.record.lock.duration.ms': 1000 }
        : {}),
    },
    brokerProperties: (id) => ({ 'broker.rack': `RACK${id}` }),
    ...(secured ? { listeners: SECURED_LISTENERS } : {}),
    onCrash: (label, logs) => {
      brokerCrashes.push(label);
      writeFileSync(join(resultsDir, `broker-${label}-crash-${brokerCrashes.length}.log`), logs);
    },
  });
  if (secured) await (await security).afterStart(deployment.bootstrap);
  return deployment;
}

/** The unit's brokers, running, and the test.conf its runner reads. */
async function brokersFor(unit) {
  let pending = deployments.get(unit.deployment);
  if (pending === undefined) {
    pending = startDeployment(unit.deployment);
    deployments.set(unit.deployment, pending);
  }
  const deployment = await pending;
  await deployment.ensureRunning();
  // Rewritten only when it changes (a replaced single broker): tests starting now read it.
  const confName = `test-${unit.deployment === SECURED ? unit.setup : unit.deployment}.conf`;
  const conf = !isSecured(unit.setup)
    ? `bootstrap.servers=${deployment.bootstrap}\n`
    : (await security).testConf(unit.setup, deployment.bootstrapOf(SETUPS[unit.setup].listener));
  if (confs.get(confName) !== conf) {
    writeFileSync(join(resultsDir, confName), conf);
    confs.set(confName, conf);
  }
  return { deployment, confPath: join(resultsDir, confName) };
}

async function stopBrokers() {
  for (const pending of deployments.values()) {
    // A deployment that failed to start has nothing to stop; its error is the run's.
    const deployment = await pending.catch(() => undefined);
    deployment?.writeLogs(resultsDir);
    await deployment?.close();
  }
  deployments.clear();
  // The token endpoint listens until closed: a run that failed must not hang on it.
  await (await security?.catch(() => undefined))?.close();
  security = undefined;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBrokers().finally(() => process.exit(130));
  });
}

const baseEnv = {
  ...process.env,
  TEST_KAFKA_VERSION: KAFKA_VERSION,
  // kafka-topics.sh for the tests that call it (KAFKA_PATH/bin/kafka-topics.sh), and
  // kafka-run-class.sh, which runs the port of tests/java's TransactionProducerCli (0098).
  KAFKA_PATH: here,
  // What tests/java compiles against before any helper runs (`make -s java`): signature stubs,
  // as Kafka's jars are not obtainable (java-api-stubs/README.md).
  ...(javaApiStubs === undefined ? {} : { KAFKA_JARS: javaApiStubs }),
  // The runner is more forgiving of timing on CI; this machine runs a broker and tests on 2 cores.
  CI: 'true',
};

/**
 * Tests whose checks only print (0101 defines its test_assert as Test::Say): these lines in the
 * log are failed checks, and the test fails with them though it exits 0.
 */
const PRINTED_FAILURES = new Map([
  ['0101_fetch_from_follower', /rxbytes was not highest|expecting rxbytes of client\.rack broker[^\n]*/],
]);

async function run(unit, attempt) {
  const { deployment, confPath } = await brokersFor(unit);
  const tag = `${unit.number}${unit.scenario === 'default' ? '' : `-${unit.scenario}`}${
    unit.setup === undefined ? '' : `@${unit.setup}`
  }${unit.subtests === undefined ? '' : `[${unit.subtests}]`}`;
  const logPath = join(resultsDir, 'logs', `${tag}${attempt > 0 ? `.retry${attempt}` : ''}.log`);
  const outcome = await runUnit(unit, {
    runner,
    cwd: join(srcDir, 'tests'),
    env: {
      ...baseEnv,
      ...(isSecured(unit.setup) ? (await security).env(unit.setup) : {}),
      // Rows name@consumer: the suite's consumers use the KIP-848 protocol (group.protocol=consumer).
      ...(unit.setup === CONSUMER_PROTOCOL ? { TEST_CONSUMER_GROUP_PROTOCOL: 'consumer' } : {}),
      ...(unit.setup === SHARE_GROUPS ? { TEST_KAFKA_VERSION: SHARE_KAFKA_VERSION } : {}),
      RDKAFKA_TEST_CONF: confPath,
      // The PLAINTEXT listeners, for kafka-topics.sh (trivup's BROKERS are PLAINTEXT too).
      BROKERS: deployment.bootstrap,
      ...(unit.subtests === undefined ? {} : { SUBTESTS: unit.subtests }),
      // The librdkafka just built, not a system one (Debian's kcat brings librdkafka 2.0).
      LD_LIBRARY_PATH: [join(srcDir, 'src'), join(srcDir, 'src-cpp'), process.env.LD_LIBRARY_PATH]
        .filter((p) => p)
        .join(':'),
    },
    timeoutSec: Number(opts.timeout),
    logPath,
    quick: opts.quick,
  });
  // Results under the names of expectations.tsv; tests of the number not selected are dropped.
  const results = new Map();
  for (const [name, r] of outcome.results) {
    const listed = unit.names.get(name);
    if (listed !== undefined) results.set(listed, r);
  }
  for (const [name, r] of results) {
    const printed = PRINTED_FAILURES.get(name);
    const found = printed !== undefined && r.state === 'PASSED' ? printed.exec(readFileSync(logPath, 'utf8')) : null;
    if (found !== null) Object.assign(r, { state: 'FAILED', reason: `${found[0]} (printed; the test exits 0)` });
  }
  return { tag, ...outcome, results };
}

const topology = brokerCount === 1 ? 'one broker' : `a ${brokerCount}-broker cluster`;
const results = new Map();
const started = Date.now();
say(
  `::: librdkafka ${LIBRDKAFKA_VERSION} suite against Samsa (TEST_KAFKA_VERSION=${KAFKA_VERSION}) on ${topology}: ` +
    `${selected.length} tests in ${units.length} processes, ${jobs} at a time${opts.ci ? ' (CI subset)' : ''}`,
);
try {
  const queue = [...units];
  const worker = async () => {
    for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
      const o = await run(unit, 0);
      for (const [name, r] of o.results) results.set(name, { ...r, attempts: 1 });
      const states = [...o.results.values()].map((r) => r.state[0]).join('');
      say(`  ${o.tag.padEnd(30)} ${states.padEnd(6)} ${o.seconds.toFixed(1).padStart(6)} s  (${o.exit})`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));

  // Tests expected to pass that failed get another try, one at a time on a quieter machine;
  // a pass on retry is reported as flaky.
  for (let attempt = 1; attempt <= Number(opts.retries); attempt++) {
    const retry = units.filter((u) =>
      [...u.names.values()].some(
        (name) => results.get(name)?.state === 'FAILED' && expectations.get(name)?.expected === 'PASSED',
      ),
    );
    for (const unit of retry) {
      const o = await run(unit, attempt);
      for (const [name, r] of o.results) {
        const before = results.get(name);
        if (before?.state === 'FAILED' && r.state === 'PASSED') {
          results.set(name, { ...r, attempts: attempt + 1, flaky: before.reason });
        } else if (before?.state === 'FAILED') {
          results.set(name, { ...before, attempts: attempt + 1 });
        }
      }
      say(`  ${o.tag.padEnd(30)} retry ${attempt}: ${o.seconds.toFixed(1)} s (${o.exit})`);
    }
  }
} finally {
  await stopBrokers();
}

const seconds = (Date.now() - started) / 1000;
const verdict = compare(results, expectations);
const summary = writeReports(resultsDir, {
  results,
  expectations,
  verdict,
  seconds,
  total: all.length,
  kafkaVersion: KAFKA_VERSION,
  topology,
  leftOut: leftOut.map((name) => ({ name, brokers: expectations.get(name)?.brokers ?? 1 })),
  brokerCrashes,
});
say(summary);
// exit(), not exitCode: a child that outlived stopBrokers() (its stdio pipes open) must not keep
// the run, and CI with it, waiting; the testkit's reaper kills such children on exit.
process.exit(verdict.regressions.length > 0 || brokerCrashes.length > 0 ? 1 : 0);
