// compat/expectations.tsv: every broker test of the suite with its expected outcome. Columns:
//   test       a test name, or name[SUBTESTS] for a run limited to the sub-tests whose name
//              contains SUBTESTS (the runner's SUBTESTS filter), to keep covering the built parts
//              of a test that fails early on a missing feature; name@SETUP (or
//              name@SETUP[SUBTESTS]) runs it as a client of the secured cluster with one of the
//              setups of lib/security.mjs (ssl, sasl_plain, …) — the plain name runs it on
//              PLAINTEXT, as every other test
//   expected   PASSED, FAILED or SKIPPED
//   ci         ci if CI runs it, - otherwise
//   brokers    how many brokers the test needs: 3 for those that create topics with replication
//              factor 3 (the suite's clusters have 3 brokers), 1 otherwise; a run with fewer
//              brokers (--brokers 1) leaves it out
//   secs       typical duration on the 3-broker cluster (schedules long tests first)
//   why        FAILED: the missing feature; SKIPPED: why the suite skips it
//   match      FAILED: text the first failure line must contain (failing otherwise is unexpected)
// Lines starting with # are comments.
import { readFileSync } from 'node:fs';

const OUTCOMES = new Set(['PASSED', 'FAILED', 'SKIPPED']);

export function loadExpectations(path) {
  const expectations = new Map();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const [name, expected, ci, brokers, secs, why = '', match = ''] = line.split('\t');
      const where = `${path}:${i + 1}`;
      if (
        name === undefined ||
        expected === undefined ||
        !OUTCOMES.has(expected) ||
        !['ci', '-'].includes(ci ?? '') ||
        !/^[1-9]\d*$/.test(brokers ?? '')
      ) {
        throw new Error(
          `${where}: expected "<test>\\t<PASSED|FAILED|SKIPPED>\\t<ci|->\\t<brokers>\\t<secs>\\t<why>\\t<match>"`,
        );
      }
      if (expected !== 'PASSED' && why.trim() === '')
        throw new Error(`${where}: ${name} is ${expected} but says not why`);
      if (expected === 'FAILED' && match.trim() === '') throw new Error(`${where}: ${name} needs the failure to match`);
      if (expectations.has(name)) throw new Error(`${where}: ${name} listed twice`);
      const sub = /^(\w+)(?:@(\w+))?(?:\[(.+)\])?$/.exec(name);
      if (sub === null) throw new Error(`${where}: ${name} is not <test>[@<setup>][[<subtests>]]`);
      expectations.set(name, {
        expected,
        ci: ci === 'ci',
        brokers: Number(brokers),
        secs: Number(secs) || 0,
        why: why.trim(),
        match: match.trim(),
        base: sub[1],
        setup: sub[2],
        subtests: sub[3],
      });
    });
  return expectations;
}

/**
 * Compares outcomes with expectations. `regressions` fail the suite: a test expected to pass
 * that failed or was skipped, a test that failed when not expected to or failed otherwise than
 * expected (its failure does not contain `match`). `improvements` passed though expected to fail
 * or be skipped: the file should be updated.
 */
export function compare(results, expectations) {
  const regressions = [];
  const improvements = [];
  const changed = [];
  for (const [name, r] of results) {
    const e = expectations.get(name);
    if (e === undefined) {
      regressions.push({ name, ...r, expected: '(not listed)' });
      continue;
    }
    const entry = { name, ...r, expected: e.expected, why: e.why };
    if (r.state === e.expected) {
      if (r.state === 'FAILED' && !r.reason.includes(e.match)) {
        regressions.push({ ...entry, expected: `FAILED with "${e.match}"` });
      }
      continue;
    }
    if (r.state === 'PASSED') improvements.push(entry);
    else if (r.state === 'FAILED' || e.expected === 'PASSED') regressions.push(entry);
    else changed.push(entry); // expected to fail, skipped instead
  }
  return { regressions, improvements, changed };
}
