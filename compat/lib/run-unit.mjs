// Runs one test number of librdkafka's suite in its own test-runner process, and reads back
// each test's outcome. One process per test number: a test that hangs or crashes takes only
// itself down, and the outer timeout kills its whole process group.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes in the runner's output
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * @param unit {{ number: string, scenario: string, tests: {name: string}[] }}
 * @param options {{ runner: string, cwd: string, env: object, timeoutSec: number, logPath: string,
 *   quick: boolean }}
 * @returns Promise<{ results: Map<string, {state: string, seconds: number, reason: string}>,
 *   seconds: number, exit: string }>
 */
export function runUnit(unit, options) {
  const args = ['-L', '-p1', '-s', unit.scenario];
  if (options.quick) args.push('-Q');
  const started = Date.now();
  const log = createWriteStream(options.logPath);
  let output = '';
  return new Promise((resolve) => {
    // The runner gets SIGPIPE ignored (an ignored signal stays ignored across exec): a broker
    // closing a socket must fail a request, not kill the process. `detached` puts it in its own
    // process group so a timeout kills children too (kafka-topics.sh, java helpers).
    const child = spawn('sh', ['-c', 'trap "" PIPE; exec "$0" "$@"', options.runner, ...args], {
      cwd: options.cwd,
      env: { ...options.env, TESTS: unit.number },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const collect = (chunk) => {
      log.write(chunk);
      if (output.length < 8 * 1024 * 1024) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, options.timeoutSec * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      const exit = timedOut
        ? `killed after the ${options.timeoutSec} s timeout`
        : signal !== null
          ? `crashed (${signal})`
          : `exit ${code}`;
      log.end(`\n::: ${exit} after ${seconds.toFixed(1)} s\n`);
      resolve({ results: parseOutput(unit, output.replace(ANSI, ''), exit, seconds), seconds, exit });
    });
  });
}

/** Reads the runner's summary table; tests missing from it failed with the process. */
function parseOutput(unit, text, exit, seconds) {
  const results = new Map();
  // |<name> | <STATE> | <secs>s | <reason>
  for (const m of text.matchAll(/^\|[ ]*(\S+)[ ]+\|[ ]+(\w+)[ ]+\|[ ]+([\d.]+)s[ ]*\|[ ]?(.*)$/gm)) {
    const [, name, state, secs, reason] = m;
    if (!unit.tests.some((t) => t.name === name)) continue;
    results.set(name, { state, seconds: Number(secs), reason: reason?.trim() ?? '' });
  }
  // A failure's first line, for tests the summary lists without a reason.
  const firstFailure = new Map();
  for (const m of text.matchAll(/^### Test "([^" (]+)[^"]*" failed at ([^:]+:\d+):[^\n]*###\n(.*)$/gm)) {
    if (!firstFailure.has(m[1])) firstFailure.set(m[1], `${m[2]}: ${m[3]}`);
  }
  for (const t of unit.tests) {
    const r = results.get(t.name);
    if (r !== undefined && r.state !== 'RUNNING' && r.state !== 'DNS') {
      if (r.state === 'FAILED' && r.reason === '') r.reason = firstFailure.get(t.name) ?? exit;
      continue;
    }
    // No summary (the process crashed or was killed): what the log says about this test.
    const ended = new RegExp(`Test ${t.name} (PASSED|FAILED)`).exec(text)?.[1];
    const skipped = new RegExp(`^\\[${t.name}\\s*/[^\\]]*\\] WARN: SKIPPING TEST: (.*)$`, 'm').exec(text)?.[1];
    const started = text.includes(`Running test ${t.name} =`);
    if (ended === 'PASSED' || (skipped !== undefined && !firstFailure.has(t.name))) {
      results.set(t.name, { state: ended ?? 'SKIPPED', seconds: 0, reason: skipped ?? '' });
    } else if (firstFailure.has(t.name)) {
      results.set(t.name, { state: 'FAILED', seconds, reason: `${firstFailure.get(t.name)} (then ${exit})` });
    } else if (started) {
      results.set(t.name, { state: 'FAILED', seconds, reason: `${exit} while running` });
    } else if (exit !== 'exit 0') {
      results.set(t.name, { state: 'FAILED', seconds: 0, reason: `not run: the process ended first (${exit})` });
    }
  }
  // A SUBTESTS filter that matches no sub-test would pass vacuously.
  if (unit.subtests !== undefined && !/: PASS \(/.test(text)) {
    for (const r of results.values()) {
      if (r.state === 'PASSED')
        Object.assign(r, { state: 'FAILED', reason: `SUBTESTS=${unit.subtests} ran no sub-test` });
    }
  }
  return results;
}
