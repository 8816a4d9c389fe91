#!/usr/bin/env node
/**
 * Samsa's benchmark suite: one broker on loopback, driven by librdkafka's rdkafka_performance,
 * measured in the same run against librdkafka's C mock broker and against the machine's limits
 * (loopback TCP, disk write bandwidth, fdatasync latency); a 3-broker cluster on ZooKeeper
 * (replication factor 3, acks=all) against one broker in the same run; and transactional produce
 * (bench/lib/txn-producer.c) against idempotent produce on the same broker. Figures only, never
 * assertions.
 *
 *   npm run bench                       # builds broker, client, testkit, then the whole suite
 *   node bench/run.mjs --smoke          # a few seconds per scenario, tiny counts (CI)
 *   node bench/run.mjs --only=produce-1KiB-acks1,consume-1KiB --runs=1
 *   node bench/run.mjs --profile        # also --cpu-prof the broker, one profile per scenario
 *   node bench/run.mjs --update-readme  # write the summary into bench/README.md
 *   node bench/run.mjs --render=bench/results/<time>.json [--update-readme]   # re-render a run
 *   node bench/run.mjs --broker=/other/checkout/packages/broker/dist/src/main.js   # before/after
 *
 * Results: bench/results/<time>.md and .json (ignored). Tools are built into bench/.cache/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReplicatedTopic, replicaState, startCluster, stopCluster } from './lib/cluster.mjs';
import { diskWrite, fdatasyncLatency, load, loopbackBandwidth, machineInfo } from './lib/machine.mjs';
import { MockCluster, runCommand, SamsaBroker } from './lib/procs.mjs';
import { summarizeProfile, summarizeReplicationPaths } from './lib/profile-summary.mjs';
import { consume, latencyPercentiles, produce } from './lib/rdkperf.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { percentile, spread } from './lib/stats.mjs';
import { commandExists, ensureTools } from './lib/tools.mjs';
import { ensureTxnProducer, produceTransactions } from './lib/txn-producer.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const cacheDir = join(benchDir, '.cache');
const resultsDir = join(benchDir, 'results');

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const smoke = args.has('smoke');
const runs = Number(args.get('runs') ?? (smoke ? 1 : 3));
const only = args.has('only') ? new Set(args.get('only').split(',')) : undefined;
const profile = args.has('profile');
const dataRoot = args.get('data-dir') ?? join(cacheDir, 'data');
/** The broker to measure: this checkout's build, or another's (`--broker=path/to/main.js`, for before/after runs). */
const brokerMain = args.get('broker') ?? join(repoDir, 'packages', 'broker', 'dist', 'src', 'main.js');

const log = (msg) => process.stdout.write(`${msg}\n`);

/**
 * Pause before each broker run that writes data, after the previous run's files were deleted.
 * This VM returns freed memory to its host within a second or two, and the next page-cache
 * write faults it back in (see diskWrite): waiting makes every run start equally cold instead of
 * depending on how soon it followed the last deletion.
 */
const SETTLE_MS = 3000;
const KiB = 1024;

/** Message counts: full runs take a few seconds each; smoke runs a fraction of a second. */
const n = (full, tiny) => (smoke ? tiny : full);

/**
 * The scenarios. `peer`: how the C mock broker is measured — 'inproc' is the same command with
 * `-X test.mock.num.brokers=1`; 'process' is bench/lib/mock-cluster (needed when the topic must
 * exist with many partitions, or a consumer must reach the same mock); undefined when the mock
 * cannot serve the scenario (it keeps only the last 5 MB of each partition).
 */
const SCENARIOS = [
  {
    id: 'produce-100B-acks1',
    title: 'Produce 100 B, acks=1',
    kind: 'produce',
    size: 100,
    acks: 1,
    count: n(6e6, 2e4),
    peer: 'inproc',
  },
  {
    id: 'produce-100B-acksall',
    title: 'Produce 100 B, acks=all',
    kind: 'produce',
    size: 100,
    acks: -1,
    count: n(6e6, 2e4),
    peer: 'inproc',
  },
  {
    id: 'produce-1KiB-acks1',
    title: 'Produce 1 KiB, acks=1',
    kind: 'produce',
    size: KiB,
    acks: 1,
    count: n(2e6, 5e3),
    peer: 'inproc',
  },
  {
    id: 'produce-1KiB-acksall',
    title: 'Produce 1 KiB, acks=all',
    kind: 'produce',
    size: KiB,
    acks: -1,
    count: n(2e6, 5e3),
    peer: 'inproc',
  },
  {
    id: 'produce-1KiB-durable',
    title: 'Produce 1 KiB, durable ack (flush every message, group commit)',
    kind: 'produce',
    size: KiB,
    acks: -1,
    count: n(1e6, 5e3),
    brokerProperties: { 'log.flush.interval.messages': 1 },
    peer: 'inproc',
    countFsyncs: true,
    oneInFlightRun: true,
  },
  {
    id: 'consume-1KiB',
    title: 'Consume 1 KiB records, 1 consumer, page cache',
    kind: 'consume',
    size: KiB,
    count: n(2e6, 5e3),
  },
  {
    id: 'produce-consume-1KiB',
    title: 'Produce and consume at once, 1 KiB, acks=1',
    kind: 'produce-consume',
    size: KiB,
    count: n(15e5, 5e3),
  },
  {
    id: 'e2e-latency-1KiB-50k',
    title: 'End-to-end latency, 1 KiB at 50k msg/s, acks=1',
    kind: 'e2e',
    size: KiB,
    rate: n(50000, 5000),
    count: n(250000, 5000),
  },
  {
    id: 'e2e-latency-1KiB-10k',
    title: 'End-to-end latency, 1 KiB at 10k msg/s, acks=1 (context: a lighter load)',
    kind: 'e2e',
    size: KiB,
    rate: n(10000, 2000),
    count: n(50000, 2000),
  },
  {
    id: 'produce-1KiB-100partitions',
    title: 'Produce 1 KiB, acks=1, 100 partitions',
    kind: 'produce',
    size: KiB,
    acks: 1,
    count: n(2e6, 5e3),
    partitions: 100,
    brokerProperties: { 'num.partitions': 100 },
    peer: 'process',
  },
  {
    id: 'produce-1KiB-transactions',
    title: 'Produce 1 KiB in transactions of 1,000 records, against idempotent produce',
    kind: 'txn-produce',
    size: KiB,
    acks: -1,
    count: n(1e6, 3e3),
    recordsPerTransaction: 1000,
    peer: 'inproc',
  },
  {
    id: 'produce-1KiB-rf3-acksall-cluster',
    title: 'Produce 1 KiB, 3-broker cluster, RF 3, acks=all, min.insync.replicas=2',
    kind: 'cluster-produce',
    size: KiB,
    acks: -1,
    count: n(2e6, 5e3),
    brokers: 3,
    replicationFactor: 3,
    minInsyncReplicas: 2,
    /** The baseline measured beside it in each run: one broker, RF 1 (produce-1KiB-acks1's load). */
    baselineAcks: 1,
    oneInFlightCount: n(2e5, 2e3),
  },
  {
    id: 'produce-1KiB-ssl',
    title: 'Produce 1 KiB, acks=1, over TLS (SSL listener) against PLAINTEXT, same broker config, same run',
    kind: 'tls-produce',
    size: KiB,
    acks: 1,
    count: n(2e6, 5e3),
  },
  { id: 'samsa-perf-tools', title: "Samsa's producer-perf-test / consumer-perf-test", kind: 'samsa-cli' },
  {
    id: 'streams-word-count',
    title:
      'Streams: stateless map/filter and the word count (persistent store, at_least_once), against the raw consumer',
    kind: 'streams',
    lines: n(200000, 2000),
    statelessLines: n(1000000, 2000),
    warmup: n(100000, 200),
  },
];

async function main() {
  if (args.has('render')) {
    // Re-renders the markdown of an earlier run's JSON (e.g. after a change of the table).
    const report = JSON.parse(readFileSync(args.get('render'), 'utf8'));
    const markdown = renderMarkdown(report);
    log(markdown);
    if (args.has('update-readme')) updateReadme(markdown);
    return;
  }
  const started = new Date();
  const stamp = started
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d+Z$/, 'Z');
  log(`::: Samsa benchmark suite${smoke ? ' (smoke: tiny counts, checks that the suite runs, not speed)' : ''}`);
  if (!existsSync(brokerMain)) throw new Error(`${brokerMain} missing: run \`npx tsc -b packages/broker\` first`);
  mkdirSync(dataRoot, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });

  log('::: tools');
  const tools = ensureTools(cacheDir, benchDir, (m) => log(`  ${m}`));
  log(`  rdkafka_performance: ${tools.perf} (librdkafka ${tools.librdkafkaVersion})`);

  const machine = machineInfo(dataRoot);
  machine.librdkafka = tools.librdkafkaVersion;
  machine.loadBefore = load();
  log(
    `::: machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}`,
  );
  log(`  data dir ${dataRoot} on ${machine.disk}; load average ${machine.loadBefore.join(' ')}`);

  log('::: machine limits');
  const limits = {};
  limits.loopback = await loopbackBandwidth(smoke ? 1 : 3, commandExists('iperf3'));
  log(`  loopback TCP: ${fmtBytes(limits.loopback.bytesPerSec)}/s (${limits.loopback.tool})`);
  limits.disk = await diskWrite(dataRoot, smoke ? 16 * 2 ** 20 : 2 ** 30, smoke ? 0 : SETTLE_MS);
  log(
    `  sequential write, 1 MiB blocks: ${fmtBytes(limits.disk.pageCacheColdBytesPerSec)}/s to the page cache (cold), ` +
      `${fmtBytes(limits.disk.pageCacheBytesPerSec)}/s (warm), ${fmtBytes(limits.disk.durableBytesPerSec)}/s with fdatasync`,
  );
  limits.fsync4k = fdatasyncLatency(dataRoot, smoke ? 20 : 500, 4 * KiB);
  limits.fsync1m = fdatasyncLatency(dataRoot, smoke ? 5 : 100, 2 ** 20);
  for (const f of [limits.fsync4k, limits.fsync1m]) {
    log(`  fdatasync after a ${fmtBytes(f.blockBytes)} append: p50 ${ms(f.p50Us / 1000)}, p99 ${ms(f.p99Us / 1000)}`);
  }

  const results = [];
  for (const scenario of SCENARIOS) {
    if (only !== undefined && !only.has(scenario.id)) continue;
    log(`::: ${scenario.id}: ${scenario.title}`);
    const t0 = Date.now();
    // The smoke run checks that each scenario runs: a scenario that fails once is run again, so
    // that a one-off crash of a client tool on a loaded CI machine (librdkafka 2.0.2's
    // rdkafka_performance died once without a word) is reported but does not fail CI; two
    // failures in a row do.
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await runScenario(scenario, tools);
        results.push({ ...scenario, ...result });
        break;
      } catch (err) {
        log(`  FAILED${attempt > 1 ? ' again' : ''}: ${err.stack ?? err}`);
        if (smoke && attempt === 1) {
          log('  running it once more (smoke run)');
          continue;
        }
        results.push({ ...scenario, error: String(err.message ?? err) });
        break;
      }
    }
    log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  machine.loadAfter = load();

  const report = { started: started.toISOString(), smoke, runs, broker: brokerMain, machine, limits, results };
  const markdown = renderMarkdown(report);
  const base = join(resultsDir, stamp);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  log('');
  log(markdown);
  log(`results: ${base}.md, ${base}.json`);
  if (args.has('update-readme')) updateReadme(markdown);
  rmSync(dataRoot, { recursive: true, force: true });
  const failed = results.filter((r) => r.error !== undefined && r.kind !== 'samsa-cli');
  if (failed.length > 0) {
    log(`${failed.length} scenario(s) failed: ${failed.map((r) => r.id).join(', ')}`);
    process.exitCode = 1;
  }
}

async function runScenario(s, tools) {
  switch (s.kind) {
    case 'produce':
      return runProduce(s, tools);
    case 'consume':
      return runConsume(s, tools);
    case 'produce-consume':
      return runProduceConsume(s, tools);
    case 'e2e':
      return runE2e(s, tools);
    case 'txn-produce':
      return runTxnProduce(s, tools);
    case 'cluster-produce':
      return runClusterProduce(s, tools);
    case 'tls-produce':
      return runTlsProduce(s, tools);
    case 'samsa-cli':
      return runSamsaCli(s);
    case 'streams':
      return runStreams(s);
    default:
      throw new Error(`unknown kind ${s.kind}`);
  }
}

function dataDirFor(s) {
  return join(dataRoot, s.id);
}

async function startSamsa(s, runIndex, extra = {}) {
  if (!smoke) await sleep(SETTLE_MS);
  const wantProfile = profile && runIndex === 0 && extra.wrap === undefined;
  const profileDir = join(resultsDir, 'profiles');
  const broker = await SamsaBroker.start({
    brokerMain,
    dataDir: dataDirFor(s),
    properties: s.brokerProperties ?? {},
    nodeArgs: wantProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${s.id}.cpuprofile`] : [],
    log: runIndex === 0 ? log : undefined,
    ...extra,
  });
  broker.profileFile = wantProfile ? join(profileDir, `${s.id}.cpuprofile`) : undefined;
  return broker;
}

async function stopSamsa(broker, extra) {
  await broker.stop(extra);
  if (broker.profileFile !== undefined && existsSync(broker.profileFile)) {
    log(`  broker profile: ${broker.profileFile}`);
    const summary = summarizeProfile(JSON.parse(readFileSync(broker.profileFile, 'utf8')), 15);
    writeFileSync(broker.profileFile.replace(/\.cpuprofile$/, '.txt'), `${summary}\n`);
    log(summary.replace(/^/gm, '    '));
  }
}

function produceOptions(s, topic) {
  return {
    topic,
    partition: s.partitions === undefined ? 0 : undefined,
    size: s.size,
    count: s.count,
    acks: s.acks,
    tmpPrefix: join(dataRoot, `${s.id}-${topic}`),
  };
}

async function runProduce(s, tools) {
  const keys = ['recordsPerSec', 'bytesPerSec', 'ackP50Ms', 'ackP99Ms', 'ackP99WorstMs'];
  const variants = [{ name: '', extra: [] }];
  // A saturating producer queues up to 100 000 records, so its acks wait behind the queue; the
  // ack latency of the broker itself shows with one request in flight.
  if (s.oneInFlightRun) variants.push({ name: 'OneInFlight', extra: ['-X', 'max.in.flight=1'] });
  const out = {};
  for (const v of variants) {
    const samsa = [];
    const peer = [];
    const label = v.name === '' ? '' : ' (max.in.flight=1)';
    for (let i = 0; i < runs; i++) {
      const broker = await startSamsa(s, v.name === '' ? i : 1);
      try {
        const opts = { ...produceOptions(s, `${s.id}-${i}`), extra: v.extra };
        const r = await produce(tools.perf, { bootstrap: broker.bootstrap }, opts);
        samsa.push(r);
        log(`  samsa run ${i + 1}${label}: ${describeProduce(r, s)}`);
      } finally {
        await stopSamsa(broker);
      }
      const p = await producePeer(s, tools, i, v.extra);
      peer.push(p);
      log(`  mock  run ${i + 1}${label}: ${describeProduce(p, s)}`);
    }
    out[`samsa${v.name}`] = summarizeRuns(samsa, keys);
    out[`peer${v.name}`] = summarizeRuns(peer, keys);
  }
  if (s.countFsyncs) {
    out.groupCommit = await countFsyncs(s, tools, []);
    if (s.oneInFlightRun) out.groupCommitOneInFlight = await countFsyncs(s, tools, ['-X', 'max.in.flight=1']);
  }
  return out;
}

async function producePeer(s, tools, i, extra = []) {
  const topic = `${s.id}-${i}`;
  const opts = { ...produceOptions(s, topic), extra };
  if (s.peer === 'inproc') return produce(tools.perf, { mock: true }, opts);
  const mock = await MockCluster.start(tools.mock, [`${topic}:${s.partitions ?? 1}`]);
  try {
    return await produce(tools.perf, { bootstrap: mock.bootstrap }, opts);
  } finally {
    await mock.stop();
  }
}

/**
 * Transactions' cost: the same records produced by an idempotent producer (rdkafka_performance,
 * `enable.idempotence=true`, acks=all) and by a transactional one (bench/lib/txn-producer.c:
 * begin, `recordsPerTransaction` records, commit, again), on two topics of the same broker in
 * the same run, with the same linger.ms and batch.size; the ratio of their throughputs is taken
 * per run. Both topics are created (one record) before either is timed, and the transactional
 * producer's first transaction (librdkafka's start-up: coordinator lookup, metadata) is not
 * timed; which producer goes first alternates from run to run. The C peer is the same pair
 * against librdkafka's in-process mock, whose broker side costs next to nothing: its ratio is
 * what librdkafka's own round trips per transaction leave (AddPartitionsToTxn, the Produce
 * requests of the transaction, EndTxn, one after the other).
 */
async function runTxnProduce(s, tools) {
  const txnProducer = ensureTxnProducer(cacheDir, benchDir, tools.librdkafkaVersion, (m) => log(`  ${m}`));
  const keys = ['recordsPerSec', 'bytesPerSec'];
  const txnKeys = [...keys, 'txnMeanMs', 'txnP50Ms', 'txnP99Ms', 'commitP50Ms'];
  const figures = { samsa: [], samsaIdempotent: [], peer: [], peerIdempotent: [] };
  const pair = async (target, i) => {
    const idempotent = () =>
      produce(tools.perf, target, {
        ...produceOptions(s, `${s.id}-${i}-idempotent`),
        extra: ['-X', 'enable.idempotence=true'],
      });
    const transactional = () =>
      produceTransactions(txnProducer, target, {
        ...produceOptions(s, `${s.id}-${i}-transactional`),
        perTxn: s.recordsPerTransaction,
      });
    if (i % 2 === 0) return { idem: await idempotent(), txn: await transactional() };
    const txn = await transactional();
    return { idem: await idempotent(), txn };
  };
  for (let i = 0; i < runs; i++) {
    const broker = await startSamsa(s, i);
    try {
      for (const kind of ['idempotent', 'transactional']) {
        const topic = `${s.id}-${i}-${kind}`;
        await produce(tools.perf, { bootstrap: broker.bootstrap }, { ...produceOptions(s, topic), count: 1, acks: 1 });
      }
      const r = await pair({ bootstrap: broker.bootstrap }, i);
      figures.samsa.push(r.txn);
      figures.samsaIdempotent.push(r.idem);
      log(`  samsa run ${i + 1}: ${describeTxn(r, s)}`);
    } finally {
      await stopSamsa(broker);
    }
    const p = await pair({ mock: true }, i);
    figures.peer.push(p.txn);
    figures.peerIdempotent.push(p.idem);
    log(`  mock  run ${i + 1}: ${describeTxn(p, s)}`);
  }
  const ratios = (txn, idem) => spread(txn.map((r, k) => r.recordsPerSec / idem[k].recordsPerSec));
  return {
    samsa: summarizeRuns(figures.samsa, txnKeys),
    samsaIdempotent: summarizeRuns(figures.samsaIdempotent, keys),
    peer: summarizeRuns(figures.peer, txnKeys),
    peerIdempotent: summarizeRuns(figures.peerIdempotent, keys),
    ratioToIdempotent: ratios(figures.samsa, figures.samsaIdempotent),
    peerRatioToIdempotent: ratios(figures.peer, figures.peerIdempotent),
  };
}

/**
 * TLS's cost: a broker with a PLAINTEXT and an SSL listener (a PEM keystore from a throwaway CA,
 * no client authentication), the same records produced through each by rdkafka_performance in the
 * same run, each on a fresh broker, alternating which goes first; the ratio SSL ÷ PLAINTEXT is
 * taken per run. librdkafka's mock broker has no TLS, so the peer is the PLAINTEXT listener itself.
 */
async function runTlsProduce(s, tools) {
  const { createTestCertificates } = await import('../packages/testkit/dist/src/index.js');
  const certs = createTestCertificates();
  const keys = ['recordsPerSec', 'bytesPerSec', 'ackP50Ms', 'ackP99Ms'];
  const figures = { ssl: [], plaintext: [] };
  const properties = {
    ...(s.brokerProperties ?? {}),
    listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': certs.brokerPem,
  };
  // Each measurement gets a fresh broker: a producer that follows another on the same broker
  // writes behind 2 GB of dirty pages and measured 30-40% slower, whichever listener it used.
  const measure = async (i, listener) => {
    const broker = await startSamsa({ ...s, brokerProperties: properties }, i);
    try {
      const tls = listener === 'SSL';
      return await produce(
        tools.perf,
        { bootstrap: tls ? `127.0.0.1:${broker.portOf('SSL')}` : broker.bootstrap },
        {
          ...produceOptions(s, `${s.id}-${i}-${listener.toLowerCase()}`),
          extra: tls ? ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${certs.caPem}`] : [],
        },
      );
    } finally {
      await stopSamsa(broker);
    }
  };
  try {
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['PLAINTEXT', 'SSL'] : ['SSL', 'PLAINTEXT'];
      const got = {};
      for (const listener of order) got[listener] = await measure(i, listener);
      figures.plaintext.push(got.PLAINTEXT);
      figures.ssl.push(got.SSL);
      log(
        `  run ${i + 1}: SSL ${describeProduce(got.SSL, s)}; PLAINTEXT ${describeProduce(got.PLAINTEXT, s)}; ratio ${(got.SSL.recordsPerSec / got.PLAINTEXT.recordsPerSec).toFixed(2)}`,
      );
    }
  } finally {
    certs.remove();
  }
  return {
    samsa: summarizeRuns(figures.ssl, keys),
    peer: summarizeRuns(figures.plaintext, keys),
    ratioToPlaintext: spread(figures.ssl.map((t, k) => t.recordsPerSec / figures.plaintext[k].recordsPerSec)),
  };
}

function describeTxn({ idem, txn }, s) {
  return (
    `transactional ${fmtRate(txn.recordsPerSec)} rec/s, ${fmtBytes(txn.bytesPerSec)}/s ` +
    `(per transaction of ${s.recordsPerTransaction}: mean ${ms(txn.txnMeanMs)}, p50 ${ms(txn.txnP50Ms)}, p99 ${ms(txn.txnP99Ms)}; ` +
    `commit_transaction p50 ${ms(txn.commitP50Ms)}); idempotent ${fmtRate(idem.recordsPerSec)} rec/s, ` +
    `${fmtBytes(idem.bytesPerSec)}/s; ratio ${(txn.recordsPerSec / idem.recordsPerSec).toFixed(2)}`
  );
}

/**
 * Group commit under load: one extra run with the broker under `strace -f --seccomp-bpf`,
 * tracing only fsync/fdatasync (the other syscalls run untraced), so the fsyncs can be counted
 * against the Produce requests acknowledged. Not part of the throughput figures.
 */
async function countFsyncs(s, tools, extra) {
  if (!commandExists('strace')) return { note: 'strace not installed; fsyncs not counted' };
  const traceFile = join(dataRoot, `${s.id}-strace.txt`);
  const broker = await startSamsa(s, 1, {
    wrap: ['strace', '-f', '--seccomp-bpf', '-T', '-e', 'trace=fdatasync,fsync', '-o', traceFile],
  });
  let r;
  try {
    r = await produce(tools.perf, { bootstrap: broker.bootstrap }, { ...produceOptions(s, `${s.id}-strace`), extra });
  } finally {
    // Signal the broker itself, not strace (which would detach and leave the broker running).
    const pid = Number(
      spawnSync('pgrep', ['-P', String(broker.child.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[0],
    );
    await broker.stop({ signalPid: Number.isFinite(pid) && pid > 0 ? pid : undefined });
  }
  const lines = existsSync(traceFile) ? readFileSync(traceFile, 'utf8').split('\n') : [];
  const fsyncs = lines.filter((l) => /\bf(data)?sync\(/.test(l) && !l.includes('resumed>')).length;
  // -T appends each call's duration (<seconds>) to the line where the call returns.
  const syncMs = lines
    .map((l) => /\bf(data)?sync\b.*<([\d.]+)>\s*$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => Number(m[2]) * 1000)
    .sort((a, b) => a - b);
  rmSync(traceFile, { force: true });
  const result = {
    fsyncs,
    produceRequests: r.produceRequests > 0 ? r.produceRequests : Number.NaN,
    records: r.records,
    requestsPerFsync: fsyncs > 0 && r.produceRequests > 0 ? r.produceRequests / fsyncs : Number.NaN,
    recordsPerFsync: fsyncs > 0 ? r.records / fsyncs : Number.NaN,
    bytesPerSecUnderStrace: r.bytesPerSec,
    fsyncP50Ms: percentile(syncMs, 50),
    fsyncP99Ms: percentile(syncMs, 99),
    fsyncMaxMs: syncMs.length > 0 ? syncMs[syncMs.length - 1] : Number.NaN,
  };
  log(
    `  group commit (under strace${extra.length > 0 ? `, ${extra.join(' ')}` : ''}): ${fsyncs} fsyncs for ~${r.produceRequests} Produce requests, ` +
      `${r.records} records: ${result.requestsPerFsync.toFixed(1)} requests and ${Math.round(result.recordsPerFsync)} records per fsync; ` +
      `fsync p50 ${ms(result.fsyncP50Ms)}, p99 ${ms(result.fsyncP99Ms)}, max ${ms(result.fsyncMaxMs)}`,
  );
  return result;
}

async function runConsume(s, tools) {
  const broker = await startSamsa(s, 0);
  const samsa = [];
  try {
    const topic = s.id;
    const pre = await produce(tools.perf, { bootstrap: broker.bootstrap }, { ...produceOptions(s, topic), acks: 1 });
    log(`  loaded ${pre.records} records (${fmtBytes(pre.records * s.size)}) into ${topic}`);
    for (let i = 0; i < runs; i++) {
      const r = await consume(tools.perf, { bootstrap: broker.bootstrap }, { topic, count: s.count });
      samsa.push(r);
      log(`  samsa run ${i + 1}: ${fmtRate(r.recordsPerSec)} rec/s, ${fmtBytes(r.bytesPerSec)}/s`);
    }
  } finally {
    await stopSamsa(broker);
  }
  return {
    samsa: summarizeRuns(samsa, ['recordsPerSec', 'bytesPerSec']),
    peerNote: 'librdkafka’s mock keeps only the last 5 MB of a partition, so it cannot serve this read',
  };
}

async function runProduceConsume(s, tools) {
  const producer = [];
  const consumer = [];
  for (let i = 0; i < runs; i++) {
    const broker = await startSamsa(s, i);
    try {
      const topic = `${s.id}-${i}`;
      // Create the topic (one record) so the consumer can start at its end before the load.
      await produce(tools.perf, { bootstrap: broker.bootstrap }, { ...produceOptions(s, topic), count: 1, acks: 1 });
      const c = consume(tools.perf, { bootstrap: broker.bootstrap }, { topic, count: s.count, offset: 'end' });
      await sleep(1500);
      const p = await produce(tools.perf, { bootstrap: broker.bootstrap }, { ...produceOptions(s, topic), acks: 1 });
      const cr = await c;
      producer.push(p);
      consumer.push(cr);
      log(`  samsa run ${i + 1}: produce ${fmtBytes(p.bytesPerSec)}/s while consuming ${fmtBytes(cr.bytesPerSec)}/s`);
    } finally {
      await stopSamsa(broker);
    }
  }
  return {
    samsa: summarizeRuns(producer, ['recordsPerSec', 'bytesPerSec']),
    samsaConsumer: summarizeRuns(consumer, ['recordsPerSec', 'bytesPerSec']),
    peerNote: 'librdkafka’s mock keeps only the last 5 MB of a partition; a consumer that falls behind loses data',
  };
}

/**
 * End-to-end latency: a consumer (-l) at the end of a partition, then a producer (-l) at a fixed
 * rate with linger.ms=0; each record carries its send time and the consumer records
 * now − send time. rdkafka_performance's rate limiter spins per message and falls short of the
 * rate asked, so a 1 s probe (with the consumer already running) measures its overhead and the
 * rate asked is corrected for it. The probe's records and the first second of the measured run
 * (the producer connecting while its first records already carry timestamps) are not counted.
 *
 * No C peer: librdkafka's mock answers a fetch with no data only when its timer fires, and keeps
 * 5 MB per partition; at 50 MB/s its consumer falls behind and loses records (in a trial run it
 * received 6,004 of 250,000 records, p50 1.02 s).
 */
async function runE2e(s, tools) {
  const samsa = [];
  for (let i = 0; i < runs; i++) {
    const broker = await startSamsa(s, i);
    try {
      samsa.push(await e2eRun(s, tools, broker.bootstrap, `${s.id}-${i}`));
      log(`  samsa run ${i + 1}: ${describeE2e(samsa[i])}`);
    } finally {
      await stopSamsa(broker);
    }
  }
  return {
    samsa: summarizeRuns(samsa, ['p50Ms', 'p99Ms', 'p999Ms', 'maxMs', 'achievedRate']),
    peerNote:
      'librdkafka’s mock cannot serve this: it answers an empty fetch only when its timer fires and keeps 5 MB per partition, so its consumer falls behind and loses records',
  };
}

async function e2eRun(s, tools, bootstrap, topic) {
  const target = { bootstrap };
  const base = { ...produceOptions(s, topic), acks: 1, lingerMs: 0, latency: true };
  // Create the topic, so the consumer can start at its end.
  await produce(tools.perf, target, { ...base, latency: false, count: 1 });
  const probeCount = Math.max(1000, Math.round(s.rate));
  const latencyFile = join(dataRoot, `${topic}-latency.txt`);
  rmSync(latencyFile, { force: true });
  const c = consume(tools.perf, target, {
    topic,
    count: probeCount + s.count,
    offset: 'end',
    latencyFile,
    timeoutMs: 120000,
  });
  await sleep(smoke ? 1000 : 2000);
  // Two probes of half a second: the first measures the limiter's overhead at the rate wanted,
  // the second checks the corrected rate and corrects it again.
  let rateAsked = s.rate;
  const half = Math.round(probeCount / 2);
  for (const count of [half, probeCount - half]) {
    const probe = await produce(tools.perf, target, { ...base, count, rate: rateAsked });
    // period = 1/rateAsked + overhead, so to get 1/s.rate: 1/rateAsked' = 1/rateAsked + (1/s.rate − 1/achieved)
    const period = 1 / rateAsked + (1 / s.rate - 1 / probe.recordsPerSec);
    rateAsked = Math.round(Math.min(5 * s.rate, 1 / Math.max(period, 1 / (5 * s.rate))));
  }
  const p = await produce(tools.perf, target, { ...base, rate: rateAsked });
  await c;
  const warmup = Math.min(Math.round(p.recordsPerSec), Math.floor(s.count / 5));
  const lat = latencyPercentiles(latencyFile, probeCount + warmup);
  rmSync(latencyFile, { force: true });
  return { ...lat, achievedRate: p.recordsPerSec, rateAsked };
}

/**
 * Replication's cost: produce-1KiB-acks1's load against a 3-broker cluster on ZooKeeper — a topic
 * with RF 3 and min.insync.replicas=2, acks=all, so each ack waits until both followers have
 * fetched the batch — and, in each run just before it, against one broker with RF 1 and acks=1.
 * That baseline is measured here rather than taken from produce-1KiB-acks1 so that the ratio
 * compares runs made in the same state of the machine, and `--only` of this scenario still gives
 * it. The single broker and the cluster never run at once; the cluster's 3 brokers, ZooKeeper and
 * the producer share the cores as one broker and the producer do.
 *
 * A second variant has one request in flight (`max.in.flight=1`), so its ack latency is the
 * request's own (leader append, the followers' fetches, the high watermark's move) instead of
 * queueing behind pipelined requests. After each run the replicas' log sizes (DescribeLogDirs)
 * show that the followers hold every byte. No C peer: librdkafka's mock cluster does not replicate.
 *
 * With --profile the brokers of the first run's cluster are profiled and stopped cleanly; each
 * summary also says what the follower's fetch path and the leader's Fetch handler cost and
 * whether any frame decoded records.
 */
async function runClusterProduce(s, tools) {
  const keys = ['recordsPerSec', 'bytesPerSec', 'ackP50Ms', 'ackP99Ms', 'ackP99WorstMs', 'ackOutOfRangeIntervals'];
  const variants = [
    { name: '', extra: [], count: s.count, label: '' },
    { name: 'OneInFlight', extra: ['-X', 'max.in.flight=1'], count: s.oneInFlightCount, label: ' (max.in.flight=1)' },
  ];
  const figures = { samsa: [], baseline: [], samsaOneInFlight: [], baselineOneInFlight: [] };
  const replicas = [];
  for (let i = 0; i < runs; i++) {
    // Run index 1: the single broker is never profiled, the scenario's profiles are the cluster's.
    const broker = await startSamsa(s, 1);
    try {
      for (const v of variants) {
        const opts = {
          ...produceOptions(s, `${s.id}-${i}${v.name}`),
          count: v.count,
          acks: s.baselineAcks,
          extra: v.extra,
        };
        const r = await produce(tools.perf, { bootstrap: broker.bootstrap }, opts);
        figures[`baseline${v.name}`].push(r);
        log(`  1 broker, RF 1, acks=${s.baselineAcks}, run ${i + 1}${v.label}: ${describeProduce(r, s)}`);
      }
    } finally {
      await stopSamsa(broker);
    }
    const cluster = await startBenchCluster(s, i);
    let placed;
    let leader;
    try {
      for (const v of variants) {
        const topic = `${s.id}-${i}${v.name}`;
        const created = await createReplicatedTopic(cluster.bootstrap, topic, { ...s, replicas: placed?.replicas });
        placed ??= created;
        leader = created.leader;
        const opts = { ...produceOptions(s, topic), count: v.count, extra: v.extra };
        const r = await produce(tools.perf, { bootstrap: cluster.bootstrap }, opts);
        figures[`samsa${v.name}`].push(r);
        const state = await replicaState(cluster.bootstrap, topic);
        leader = state.leader;
        if (v.name === '') replicas.push({ ...state, records: r.records });
        log(
          `  ${s.brokers} brokers, RF ${s.replicationFactor}, acks=all, run ${i + 1}${v.label}: ${describeProduce(r, s)}; ` +
            `leader ${state.leader}, ISR [${state.isr}], log bytes by broker ${JSON.stringify(state.bytesByBroker)}`,
        );
      }
    } finally {
      await stopBenchCluster(cluster, leader);
    }
  }
  const ratios = figures.samsa.map((r, k) => r.recordsPerSec / figures.baseline[k].recordsPerSec);
  return {
    samsa: summarizeRuns(figures.samsa, keys),
    baseline: summarizeRuns(figures.baseline, keys),
    samsaOneInFlight: summarizeRuns(figures.samsaOneInFlight, keys),
    baselineOneInFlight: summarizeRuns(figures.baselineOneInFlight, keys),
    ratioToBaseline: spread(ratios),
    replicas,
  };
}

/** A fresh cluster in the data dir; the first run's brokers under --cpu-prof with --profile. */
async function startBenchCluster(s, runIndex) {
  if (!smoke) await sleep(SETTLE_MS);
  const profileDir = join(resultsDir, 'profiles');
  const profileFile = (id) => join(profileDir, `${s.id}-broker${id}.cpuprofile`);
  const wantProfile = profile && runIndex === 0;
  const parentDir = join(dataRoot, `${s.id}-cluster`);
  mkdirSync(parentDir, { recursive: true });
  const cluster = await startCluster({
    brokers: s.brokers,
    parentDir,
    brokerMain,
    properties: s.brokerProperties ?? {},
    nodeArgs: wantProfile
      ? (id) => ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${basename(profileFile(id))}`]
      : undefined,
  });
  if (wantProfile) {
    cluster.profileFiles = new Map(cluster.brokerIds.map((id) => [id, profileFile(id)]));
    for (const f of cluster.profileFiles.values()) rmSync(f, { force: true });
  }
  if (runIndex === 0) log(`  cluster: ZooKeeper on ${cluster.zookeeperConnect}, brokers ${cluster.bootstrap}`);
  return cluster;
}

/** Stops the cluster (cleanly when profiled) and summarises each broker's profile. */
async function stopBenchCluster(cluster, leader) {
  await stopCluster(cluster, { clean: cluster.profileFiles !== undefined });
  for (const [id, file] of cluster.profileFiles ?? []) {
    if (!existsSync(file)) {
      log(`  broker ${id}: no profile (it did not stop cleanly)`);
      continue;
    }
    const p = JSON.parse(readFileSync(file, 'utf8'));
    const role = id === leader ? 'leader' : 'follower';
    const summary = `broker ${id} (${role})\n${summarizeProfile(p, 15)}\n${summarizeReplicationPaths(p)}`;
    writeFileSync(file.replace(/\.cpuprofile$/, '.txt'), `${summary}\n`);
    log(`  broker profile: ${file}`);
    log(summary.replace(/^/gm, '    '));
  }
}

/**
 * SLOT for Samsa's own `producer-perf-test` / `consumer-perf-test` (Kafka's tools of that name,
 * same flags): runs them once the CLI in packages/cli/dist provides them, else reports that they
 * are missing. One run each, 1 KiB records; Kafka's "MB" is MiB. A failure here is reported but
 * does not fail the suite: the tools belong to the CLI.
 */
async function runSamsaCli(s) {
  const bin = findCliBin();
  if (bin === undefined) {
    log('  skipped: packages/cli/dist does not provide producer-perf-test / consumer-perf-test yet');
    return { skipped: 'packages/cli/dist does not provide producer-perf-test / consumer-perf-test yet' };
  }
  const broker = await startSamsa(s, 0);
  try {
    const count = String(n(1e6, 5e3));
    const topic = 'samsa-perf-test';
    const common = ['--bootstrap-server', broker.bootstrap, '--topic', topic, '--num-records', count];
    const prod = await runCommand(
      process.execPath,
      [bin, 'producer-perf-test', ...common, '--record-size', '1024', '--throughput', '-1']
        .concat(['--command-property', 'acks=1', '--command-property', 'linger.ms=5'])
        .concat(['--command-property', 'batch.size=1000000']),
      { timeoutMs: 180000 },
    );
    const cons = await runCommand(process.execPath, [bin, 'consumer-perf-test', ...common], { timeoutMs: 180000 });
    const lastLine = (t) => t.trim().split('\n').pop() ?? '';
    log(`  producer-perf-test: ${lastLine(prod.stdout)}`);
    log(`  consumer-perf-test: ${lastLine(cons.stdout)}`);
    if (prod.code !== 0 || cons.code !== 0) {
      return { cliError: `exit ${prod.code}/${cons.code}: ${(prod.stderr + cons.stderr).trim().split('\n').pop()}` };
    }
    const pm = /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(prod.stdout);
    const cf = lastLine(cons.stdout)
      .split(',')
      .map((x) => x.trim());
    return {
      cli: {
        producerRecordsPerSec: pm ? Number(pm[1]) : Number.NaN,
        producerBytesPerSec: pm ? Number(pm[2]) * 2 ** 20 : Number.NaN,
        consumerBytesPerSec: Number(cf[3]) * 2 ** 20,
        consumerRecordsPerSec: Number(cf[5]),
        producerLine: lastLine(prod.stdout),
        consumerLine: lastLine(cons.stdout),
      },
    };
  } finally {
    await stopSamsa(broker);
  }
}

/**
 * bench/streams/streams-bench.mjs against a fresh broker per run: the raw consumer and a stateless
 * pipeline over one input topic, rates in the steady state (after a warm-up) and from the first
 * record; the word count over a smaller one, first record to last.
 */
async function runStreams(s) {
  const perRun = [];
  for (let i = 0; i < runs; i++) {
    const broker = await startSamsa(s, i);
    try {
      const script = join(benchDir, 'streams', 'streams-bench.mjs');
      const r = await runCommand(
        process.execPath,
        [
          script,
          '--bootstrap',
          broker.bootstrap,
          '--lines',
          String(s.lines),
          '--stateless-lines',
          String(s.statelessLines),
          '--warmup',
          String(s.warmup),
        ],
        {
          timeoutMs: 900000,
        },
      );
      const json = r.stdout.split('\n').find((l) => l.startsWith('{'));
      if (r.code !== 0 || json === undefined) {
        throw new Error(
          `streams-bench exited ${r.code}: ${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-10).join('\n')}`,
        );
      }
      const one = JSON.parse(json);
      log(
        `  run ${i + 1}: raw consumer ${Math.round(one.raw.recordsPerSec)} rec/s (from the first record ${Math.round(one.raw.fromFirst.recordsPerSec)}), ` +
          `stateless ${Math.round(one.stateless.recordsPerSec)} rec/s (from the first record ${Math.round(one.stateless.fromFirst.recordsPerSec)}), ` +
          `word count ${Math.round(one.wordCount.recordsPerSec)} words/s (${Math.round(one.wordCount.linesPerSec)} lines/s)`,
      );
      perRun.push(one);
    } finally {
      await stopSamsa(broker);
    }
  }
  const stat = (f) => spread(perRun.map(f));
  return {
    streams: {
      lines: s.lines,
      statelessLines: s.statelessLines,
      warmup: s.warmup,
      wordsPerLine: perRun[0]?.wordsPerLine,
      raw: stat((x) => x.raw.recordsPerSec),
      stateless: stat((x) => x.stateless.recordsPerSec),
      wordCount: stat((x) => x.wordCount.recordsPerSec),
      statelessRatio: stat((x) => x.stateless.recordsPerSec / x.raw.recordsPerSec),
      rawFromFirst: stat((x) => x.raw.fromFirst.recordsPerSec),
      statelessFromFirst: stat((x) => x.stateless.fromFirst.recordsPerSec),
      statelessRatioFromFirst: stat((x) => x.stateless.fromFirst.recordsPerSec / x.raw.fromFirst.recordsPerSec),
    },
  };
}

/** The `samsa` executable of packages/cli/dist, if it has both perf tools. */
function findCliBin() {
  const cliDir = join(repoDir, 'packages', 'cli');
  try {
    const pkg = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8'));
    const bin = join(cliDir, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.samsa);
    if (!existsSync(bin)) return undefined;
    const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 20000 });
    const help = `${r.stdout}${r.stderr}`;
    return help.includes('producer-perf-test') && help.includes('consumer-perf-test') ? bin : undefined;
  } catch {
    return undefined;
  }
}

function summarizeRuns(list, keys) {
  const out = {};
  for (const k of keys) out[k] = spread(list.map((r) => r[k]));
  return out;
}

function updateReadme(markdown) {
  const readme = join(benchDir, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- summary:start -->';
  const end = '<!-- summary:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${readme} has no ${start} … ${end} section`);
  writeFileSync(readme, `${text.slice(0, i + start.length)}\n\n${markdown}\n${text.slice(j)}`);
  log(`updated ${readme}`);
}

function describeProduce(r, s) {
  return `${fmtRate(r.recordsPerSec)} rec/s, ${fmtBytes(r.bytesPerSec)}/s, ack p50 ${ms(r.ackP50Ms)} p99 ${ms(r.ackP99Ms)}${s.size ? '' : ''}`;
}

function describeE2e(r) {
  return `${fmtRate(r.achievedRate)} msg/s (-r ${r.rateAsked}): p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}, p99.9 ${ms(r.p999Ms)}, max ${ms(r.maxMs)}`;
}

export function fmtBytes(b) {
  if (!Number.isFinite(b)) return 'n/a';
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(b >= 1e8 ? 0 : 1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${Math.round(b)} B`;
}

function fmtRate(r) {
  if (!Number.isFinite(r)) return 'n/a';
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(1)} k`;
}

function ms(v) {
  return Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a';
}

function sleep(msec) {
  return new Promise((r) => setTimeout(r, msec));
}

main().catch((err) => {
  log(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
