// compat/results/: results.tsv and results.md (one row per test), and the summary printed last.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function oneLine(text, max = 200) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function writeReports(
  dir,
  { results, expectations, verdict, seconds, total, kafkaVersion, topology, leftOut, brokerCrashes },
) {
  const names = [...results.keys()].sort();
  const tsv = ['test\tresult\texpected\tseconds\tfirst failure line'];
  const md = [`| test | result | expected | seconds | first failure line |`, `| --- | --- | --- | ---: | --- |`];
  for (const name of names) {
    const r = results.get(name);
    const e = expectations.get(name);
    const why = r.state === 'PASSED' ? (r.flaky ? `passed on retry; first run: ${r.flaky}` : '') : r.reason;
    tsv.push([name, r.state, e?.expected ?? '', r.seconds.toFixed(1), oneLine(why)].join('\t'));
    md.push(
      `| ${name} | ${r.state} | ${e?.expected ?? ''} | ${r.seconds.toFixed(1)} | ${oneLine(why).replace(/\|/g, '\\|')} |`,
    );
  }
  writeFileSync(join(dir, 'results.tsv'), `${tsv.join('\n')}\n`);
  writeFileSync(join(dir, 'results.md'), `${md.join('\n')}\n`);

  // The headline counts whole tests on PLAINTEXT; name[SUBTESTS], name@consumer (the KIP-848 group
  // protocol), name@share (share groups at Kafka 4.2) and name@SETUP (secured listeners) runs are
  // reported apart.
  const whole = names.filter((n) => !n.includes('[') && !n.includes('@'));
  const parts = names.filter((n) => n.includes('[') && !n.includes('@'));
  const consumer = names.filter((n) => /@consumer\b/.test(n));
  const share = names.filter((n) => /@share\b/.test(n));
  const secured = names.filter((n) => n.includes('@') && !consumer.includes(n) && !share.includes(n));
  const count = (list, state) => list.filter((n) => results.get(n)?.state === state).length;
  const passed = count(whole, 'PASSED');
  const failed = count(whole, 'FAILED');
  const skipped = count(whole, 'SKIPPED');
  const lines = [];
  lines.push(
    '',
    `::: librdkafka suite results (TEST_KAFKA_VERSION=${kafkaVersion}, ${topology}) in ${Math.round(seconds)} s`,
  );
  lines.push(`  ran ${whole.length} of ${total} broker tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (parts.length > 0) {
    lines.push(
      `  and ${parts.length} sub-test runs (name[SUBTESTS]): ${count(parts, 'PASSED')} passed, ` +
        `${count(parts, 'FAILED')} failed, ${count(parts, 'SKIPPED')} skipped`,
    );
  }
  if (consumer.length > 0) {
    lines.push(
      `  and ${consumer.length} runs with group.protocol=consumer (name@consumer): ${count(consumer, 'PASSED')} passed, ` +
        `${count(consumer, 'FAILED')} failed, ${count(consumer, 'SKIPPED')} skipped`,
    );
  }
  if (share.length > 0) {
    lines.push(
      `  and ${share.length} share group runs at TEST_KAFKA_VERSION=4.2.0 (name@share): ${count(share, 'PASSED')} passed, ` +
        `${count(share, 'FAILED')} failed, ${count(share, 'SKIPPED')} skipped`,
    );
  }
  if (secured.length > 0) {
    lines.push(
      `  and ${secured.length} runs on the secured listeners (name@SETUP): ${count(secured, 'PASSED')} passed, ` +
        `${count(secured, 'FAILED')} failed, ${count(secured, 'SKIPPED')} skipped`,
    );
  }
  const expectedFailures = names.filter(
    (n) => results.get(n)?.state === 'FAILED' && expectations.get(n)?.expected === 'FAILED',
  );
  if (expectedFailures.length > 0) {
    lines.push(`  expected failures (${expectedFailures.length}):`);
    for (const n of expectedFailures) lines.push(`    ${n.padEnd(44)} ${expectations.get(n)?.why}`);
  }
  const flaky = names.filter((n) => results.get(n)?.flaky !== undefined);
  if (flaky.length > 0) {
    lines.push(`  flaky (failed, then passed on retry) (${flaky.length}):`);
    for (const n of flaky) lines.push(`    ${n.padEnd(44)} ${oneLine(results.get(n)?.flaky ?? '', 120)}`);
  }
  if (verdict.improvements.length > 0) {
    lines.push(`  newly passing — update compat/expectations.tsv (${verdict.improvements.length}):`);
    for (const r of verdict.improvements) lines.push(`    ${r.name.padEnd(44)} was expected ${r.expected}: ${r.why}`);
  }
  if (verdict.changed.length > 0) {
    lines.push(`  skipped though expected to fail (${verdict.changed.length}):`);
    for (const r of verdict.changed) lines.push(`    ${r.name.padEnd(44)} ${oneLine(r.reason, 120)}`);
  }
  if (leftOut.length > 0) {
    lines.push(`  not run on ${topology}, they need more brokers (${leftOut.length}):`);
    for (const t of leftOut) lines.push(`    ${t.name.padEnd(44)} needs ${t.brokers}`);
  }
  if (brokerCrashes.length > 0) {
    lines.push(
      `  brokers died during the run (${brokerCrashes.join(', ')}) and were restarted; ` +
        'see compat/results/broker-*-crash-*.log',
    );
  }
  if (verdict.regressions.length > 0) {
    lines.push(`  UNEXPECTED (${verdict.regressions.length}):`);
    for (const r of verdict.regressions) {
      lines.push(`    ${r.name.padEnd(44)} ${r.state}, expected ${r.expected}: ${oneLine(r.reason, 160)}`);
    }
  }
  lines.push(`  results: compat/results/results.md, logs: compat/results/logs/`);
  lines.push(
    verdict.regressions.length === 0 && brokerCrashes.length === 0
      ? `compat: OK — ${passed} of ${whole.length} broker tests run pass (${total} in the suite)${
          secured.length > 0 ? `, ${count(secured, 'PASSED')} of ${secured.length} runs on the secured listeners` : ''
        }${
          consumer.length > 0
            ? `, ${count(consumer, 'PASSED')} of ${consumer.length} runs with group.protocol=consumer`
            : ''
        }${share.length > 0 ? `, ${count(share, 'PASSED')} of ${share.length} share group runs at 4.2.0` : ''}, every outcome as expected`
      : `compat: FAILED — ${verdict.regressions.length} unexpected outcome(s), ${brokerCrashes.length} broker crash(es)`,
  );
  return lines.join('\n');
}
