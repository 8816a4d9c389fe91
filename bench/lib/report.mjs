/**
 * The markdown summary of a run: the machine, its limits, and one row per scenario with Samsa's
 * median [min–max] over the runs, librdkafka's mock broker in the same run, the ratios, and the
 * targets of the benchmark issue.
 */

const mb = (b) => (Number.isFinite(b) ? `${(b / 1e6).toFixed(0)} MB/s` : 'n/a');
const rec = (r) =>
  Number.isFinite(r) ? (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(0)} k/s`) : 'n/a';
const msf = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const count = (n) => (n >= 1e6 ? `${n / 1e6} M` : n >= 1e3 ? `${n / 1e3} k` : String(n));
const range = (s, f) => `${f(s.median)} [${f(s.min)}–${f(s.max)}]`;

/** Targets from the benchmark issue (one broker, 2 cores, loopback). */
const TARGETS = {
  'produce-100B-acks1': {
    text: '≥ 0.6 × mock',
    met: (r) => r.samsa.recordsPerSec.median >= 0.6 * r.peer.recordsPerSec.median,
  },
  'produce-1KiB-acks1': { text: '≥ 450 MB/s', met: (r) => r.samsa.bytesPerSec.median >= 450e6 },
  'consume-1KiB': { text: '≥ 1 GB/s', met: (r) => r.samsa.bytesPerSec.median >= 1e9 },
  'produce-1KiB-durable': {
    text: '≥ 350 MB/s (saturated), ack p99 < 3 ms (1 request in flight)',
    met: (r) => r.samsa.bytesPerSec.median >= 350e6 && r.samsaOneInFlight?.ackP99Ms.median < 3,
  },
  'e2e-latency-1KiB-50k': { text: 'p99 < 2 ms', met: (r) => r.samsa.p99Ms.median < 2 },
  'produce-1KiB-transactions': {
    text: '≥ 0.8 × idempotent produce, same broker, same run',
    met: (r) => r.ratioToIdempotent.median >= 0.8,
  },
  'streams-word-count': {
    text: 'stateless ≥ 0.5 × raw consume; word count ≥ 100 k records/s',
    met: (r) => r.streams.statelessRatio.median >= 0.5 && r.streams.wordCount.median >= 100e3,
  },
  'produce-1KiB-rf3-acksall-cluster': {
    text: '≥ 0.4 × one broker, RF 1, acks=1',
    met: (r) => r.samsa.recordsPerSec.median >= 0.4 * r.baseline.recordsPerSec.median,
  },
};

export function renderMarkdown(report) {
  const { machine: m, limits: l, results } = report;
  const lines = [];
  lines.push(
    `Run of ${report.started}${report.smoke ? ' (SMOKE: tiny counts, figures meaningless)' : ''}, ${report.runs} run(s) per scenario, median [min–max].`,
  );
  lines.push('');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, librdkafka ${m.librdkafka}; ` +
      `data dir on ${m.disk}; load average ${m.loadBefore.join(' ')} before, ${m.loadAfter.join(' ')} after.`,
  );
  lines.push('');
  lines.push('| Machine limit | Measured |');
  lines.push('| --- | --- |');
  lines.push(`| Loopback TCP (${l.loopback.tool}) | ${mb(l.loopback.bytesPerSec)} |`);
  lines.push(
    `| Sequential write, 1 MiB blocks, page cache, cold (new pages: the VM faults them in from its host) | ${mb(l.disk.pageCacheColdBytesPerSec)} |`,
  );
  lines.push(
    `| Sequential write, 1 MiB blocks, page cache, warm (pages just freed) | ${mb(l.disk.pageCacheBytesPerSec)} |`,
  );
  lines.push(`| Sequential write, 1 MiB blocks, until fdatasync returns | ${mb(l.disk.durableBytesPerSec)} |`);
  for (const f of [l.fsync4k, l.fsync1m]) {
    const size = f.blockBytes >= 2 ** 20 ? `${f.blockBytes / 2 ** 20} MiB` : `${f.blockBytes / 1024} KiB`;
    lines.push(`| fdatasync after a ${size} append | p50 ${msf(f.p50Us / 1000)}, p99 ${msf(f.p99Us / 1000)} |`);
  }
  lines.push('');
  lines.push('| Scenario | Samsa | C mock broker | Samsa ÷ mock | Samsa ÷ machine limit | Target |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  const notes = [];
  for (const r of results) {
    const target = TARGETS[r.id];
    let targetCell = target?.text ?? '';
    if (r.error !== undefined) {
      lines.push(`| ${r.title} | failed: ${r.error.split('\n')[0].slice(0, 120)} | | | | ${targetCell} |`);
      continue;
    }
    if (r.skipped !== undefined) {
      lines.push(`| ${r.title} | not run: ${r.skipped} | | | | |`);
      continue;
    }
    if (target !== undefined) targetCell += target.met(r) ? ' — **met**' : ' — **not met**';
    if (r.kind === 'produce') {
      const s = r.samsa;
      const p = r.peer;
      const limit = r.brokerProperties?.['log.flush.interval.messages']
        ? `${ratio(s.bytesPerSec.median, l.disk.durableBytesPerSec)} of durable disk write`
        : `${ratio(s.bytesPerSec.median, l.disk.pageCacheColdBytesPerSec)} of cold page-cache write, ${ratio(s.bytesPerSec.median, l.loopback.bytesPerSec)} of loopback`;
      lines.push(
        `| ${r.title} | ${range(s.recordsPerSec, rec)}, ${mb(s.bytesPerSec.median)}; ack p99 ${msf(s.ackP99Ms.median)} | ` +
          `${rec(p.recordsPerSec.median)}, ${mb(p.bytesPerSec.median)}; ack p99 ${msf(p.ackP99Ms.median)} | ` +
          `${ratio(s.recordsPerSec.median, p.recordsPerSec.median)} | ${limit} | ${targetCell} |`,
      );
      if (r.samsaOneInFlight !== undefined) {
        const o = r.samsaOneInFlight;
        const q = r.peerOneInFlight;
        lines.push(
          `| ↳ same, one request in flight (\`max.in.flight=1\`) | ${range(o.bytesPerSec, mb)}; ack p50 ${msf(o.ackP50Ms.median)}, p99 ${range(o.ackP99Ms, msf)} (worst half second ${msf(o.ackP99WorstMs?.median)}) | ` +
            `${mb(q.bytesPerSec.median)}; ack p50 ${msf(q.ackP50Ms.median)}, p99 ${msf(q.ackP99Ms.median)} | ${ratio(o.bytesPerSec.median, q.bytesPerSec.median)} | | |`,
        );
      }
      for (const [g, how] of [
        [r.groupCommit, 'saturating producer'],
        [r.groupCommitOneInFlight, 'one request in flight'],
      ]) {
        if (g?.fsyncs === undefined) continue;
        notes.push(
          `Group commit (${r.title}, ${how}, one extra run under strace): ${g.fsyncs} fsyncs for ≈${g.produceRequests} Produce requests ` +
            `and ${g.records} records — ${g.requestsPerFsync.toFixed(1)} requests and ${Math.round(g.recordsPerFsync)} records per fsync; ` +
            `the broker's fdatasync calls took p50 ${msf(g.fsyncP50Ms)}, p99 ${msf(g.fsyncP99Ms)}, max ${msf(g.fsyncMaxMs)}.`,
        );
      }
    } else if (r.kind === 'consume') {
      const s = r.samsa;
      lines.push(
        `| ${r.title} | ${range(s.bytesPerSec, mb)}, ${rec(s.recordsPerSec.median)} | n/a¹ | n/a | ${ratio(s.bytesPerSec.median, l.loopback.bytesPerSec)} of loopback | ${targetCell} |`,
      );
    } else if (r.kind === 'produce-consume') {
      lines.push(
        `| ${r.title} | produce ${range(r.samsa.bytesPerSec, mb)}, consume ${mb(r.samsaConsumer.bytesPerSec.median)} | n/a¹ | n/a | ` +
          `${ratio(r.samsa.bytesPerSec.median + r.samsaConsumer.bytesPerSec.median, l.loopback.bytesPerSec)} of loopback (both directions) | ${targetCell} |`,
      );
    } else if (r.kind === 'e2e') {
      const s = r.samsa;
      lines.push(
        `| ${r.title} | p99 ${range(s.p99Ms, msf)}, p50 ${msf(s.p50Ms.median)}, p99.9 ${msf(s.p999Ms.median)}, max ${msf(s.maxMs.median)} at ${rec(s.achievedRate.median)} | n/a² | n/a | | ${targetCell} |`,
      );
    } else if (r.kind === 'tls-produce') {
      const q = r.ratioToPlaintext;
      lines.push(
        `| ${r.title} | ${range(r.samsa.recordsPerSec, rec)}, ${mb(r.samsa.bytesPerSec.median)}; **${q.median.toFixed(2)}× of PLAINTEXT** (runs ${q.min.toFixed(2)}–${q.max.toFixed(2)}) | PLAINTEXT, same broker: ${rec(r.peer.recordsPerSec.median)}, ${mb(r.peer.bytesPerSec.median)} | ${ratio(r.samsa.recordsPerSec.median, r.peer.recordsPerSec.median)} | | ${targetCell} |`,
      );
    } else if (r.kind === 'txn-produce') {
      lines.push(...txnRows(r, targetCell));
    } else if (r.kind === 'cluster-produce') {
      lines.push(...clusterRows(r, l, targetCell));
      notes.push(replicationNote(r));
    } else if (r.kind === 'streams') {
      const st = r.streams;
      if (st.statelessLines === undefined) {
        // Runs before the steady-state measurement: one topic, rates from the first record.
        lines.push(
          `| ${r.title} (${count(st.lines)} lines of ${st.wordsPerLine} words, Samsa's client) | stateless ${range(st.stateless, rec)}, **${st.statelessRatio.median.toFixed(2)}× raw consume**; word count ${range(st.wordCount, rec)} words | raw consumer, same broker: ${range(st.raw, rec)} | | | ${targetCell} |`,
        );
      } else {
        lines.push(
          `| ${r.title} (Samsa's client; stateless and raw: ${count(st.statelessLines)} lines, rates after the first ${count(st.warmup)} records; word count: ${count(st.lines)} lines of ${st.wordsPerLine} words, first record to last) | stateless ${range(st.stateless, rec)}, **${st.statelessRatio.median.toFixed(2)}× raw consume** (from the first record: ${rec(st.statelessFromFirst.median)}, ${st.statelessRatioFromFirst.median.toFixed(2)}×); word count ${range(st.wordCount, rec)} words | raw consumer, same broker: ${range(st.raw, rec)} (from the first record: ${rec(st.rawFromFirst.median)}) | | | ${targetCell} |`,
        );
      }
    } else if (r.kind === 'samsa-cli') {
      if (r.cliError !== undefined) lines.push(`| ${r.title} (slot) | failed: ${r.cliError} | | | | |`);
      else
        lines.push(
          `| ${r.title} (slot; Samsa's own client instead of librdkafka) | produce ${mb(r.cli.producerBytesPerSec)} (${rec(r.cli.producerRecordsPerSec)}), consume ${mb(r.cli.consumerBytesPerSec)} | | | | |`,
        );
    }
  }
  lines.push('');
  lines.push(
    'Ratios to the mock compare medians of the same run. Produce figures count delivered records; MB = 10⁶ bytes of record values. ' +
      'Ack latency is librdkafka’s request round trip (its `rtt` statistics, one histogram per 0.5 s: the median over the run of each half second’s p50 and p99), which includes queueing behind pipelined requests.',
  );
  lines.push('¹ librdkafka’s mock broker keeps only the last 5 MB of each partition, so it cannot serve these reads.');
  lines.push(
    '² The mock answers a fetch with no data only when its timer fires (no long poll woken by new data) and keeps 5 MB per partition: at 50 MB/s its consumer falls behind and loses records.',
  );
  if (results.some((r) => r.kind === 'cluster-produce' && r.error === undefined && r.skipped === undefined)) {
    lines.push(
      '³ librdkafka’s mock cluster does not replicate; the cluster is compared with one Samsa broker (RF 1, acks=1) measured in the same runs, each run the single broker first, then a fresh cluster.',
    );
  }
  const beyondHistogram = (r) =>
    [r.samsa, r.baseline, r.samsaOneInFlight, r.baselineOneInFlight].some((x) => x?.ackOutOfRangeIntervals?.max > 0);
  if (results.some((r) => r.kind === 'cluster-produce' && r.error === undefined && beyondHistogram(r))) {
    lines.push(
      '⁴ Some round trips were longer than librdkafka’s histogram tracks (500 ms, stretched by its buckets); in those half seconds the longest round trip stands in for the percentile, an upper bound. Under a saturating producer the broker holds up to 64 pipelined Produce requests per connection, so its round trip is mostly the wait behind them (in-flight requests ÷ throughput); the one-request-in-flight row gives the ack latency of a request itself.',
    );
  }
  for (const note of notes) lines.push(`\n${note}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The transactions scenario's rows: transactional produce as a ratio to idempotent produce on the
 * same broker in the same runs (the median of the per-run ratios), the same for librdkafka's
 * mock, then the idempotent baselines.
 */
function txnRows(r, targetCell) {
  const s = r.samsa;
  const p = r.peer;
  const q = r.ratioToIdempotent;
  const pq = r.peerRatioToIdempotent;
  const x = (v) => `${v.toFixed(2)}×`;
  const perTxn = (t) =>
    `per transaction mean ${msf(t.txnMeanMs.median)}, p50 ${msf(t.txnP50Ms.median)}, p99 ${msf(t.txnP99Ms.median)}`;
  return [
    `| ${r.title} | ${range(s.recordsPerSec, rec)}, ${mb(s.bytesPerSec.median)}; **${x(q.median)} of idempotent** (runs ${q.min.toFixed(2)}–${q.max.toFixed(2)}); ${perTxn(s)} | ` +
      `${rec(p.recordsPerSec.median)}, ${mb(p.bytesPerSec.median)}; ${x(pq.median)} of its idempotent (runs ${pq.min.toFixed(2)}–${pq.max.toFixed(2)}); ${perTxn(p)} | ` +
      `${ratio(s.recordsPerSec.median, p.recordsPerSec.median)} | | ${targetCell} |`,
    `| ↳ baseline, same runs: idempotent producer (\`enable.idempotence=true\`, acks=all) | ${range(r.samsaIdempotent.recordsPerSec, rec)}, ${mb(r.samsaIdempotent.bytesPerSec.median)} | ` +
      `${rec(r.peerIdempotent.recordsPerSec.median)}, ${mb(r.peerIdempotent.bytesPerSec.median)} | ${ratio(r.samsaIdempotent.recordsPerSec.median, r.peerIdempotent.recordsPerSec.median)} | | |`,
  ];
}

/**
 * The cluster scenario's rows: the cluster against the single-broker baseline of the same runs,
 * then both with one request in flight (ack latency of the request itself).
 */
function clusterRows(r, l, targetCell) {
  const s = r.samsa;
  const b = r.baseline;
  const ack = (x) =>
    `ack p50 ${msf(x.ackP50Ms.median)}, p99 ${range(x.ackP99Ms, msf)}${x.ackOutOfRangeIntervals?.max > 0 ? '⁴' : ''}`;
  const spreadOfRatio = `${r.ratioToBaseline.min.toFixed(2)}–${r.ratioToBaseline.max.toFixed(2)}`;
  const rows = [
    `| ${r.title} | ${range(s.recordsPerSec, rec)}, ${mb(s.bytesPerSec.median)}; ${ack(s)}; ` +
      `**${ratio(s.recordsPerSec.median, b.recordsPerSec.median)} of one broker** (runs ${spreadOfRatio}) | n/a³ | n/a | ` +
      `${ratio(3 * s.bytesPerSec.median, l.disk.pageCacheColdBytesPerSec)} of cold page-cache write (3 copies) | ${targetCell} |`,
    `| ↳ baseline, same runs: one broker, RF 1, acks=${r.baselineAcks} | ${range(b.recordsPerSec, rec)}, ${mb(b.bytesPerSec.median)}; ${ack(b)} | | | ` +
      `${ratio(b.bytesPerSec.median, l.disk.pageCacheColdBytesPerSec)} of cold page-cache write | |`,
  ];
  const o = r.samsaOneInFlight;
  const q = r.baselineOneInFlight;
  if (o !== undefined && q !== undefined) {
    rows.push(
      `| ↳ one request in flight (\`max.in.flight=1\`), ${count(r.oneInFlightCount)} records: cluster vs one broker | ` +
        `cluster ${mb(o.bytesPerSec.median)}, ${ack(o)}; one broker ${mb(q.bytesPerSec.median)}, ${ack(q)} | | | | |`,
    );
  }
  return rows;
}

/** What the replicas held after each run: the followers copied every byte the leader has. */
function replicationNote(r) {
  const runs = (r.replicas ?? []).map((p) => {
    const sizes = Object.values(p.bytesByBroker);
    const same = sizes.length === p.replicas.length && sizes.every((x) => x === sizes[0]);
    const held = same
      ? `each of the ${sizes.length} replicas holds ${sizes[0]} bytes`
      : `log bytes by broker ${JSON.stringify(p.bytesByBroker)}`;
    return `${p.records} records, leader ${p.leader}, ISR [${p.isr.join(',')}], ${held}`;
  });
  return `Replication (${r.title}): after each run's produce, ${runs.join('; ')}.`;
}
