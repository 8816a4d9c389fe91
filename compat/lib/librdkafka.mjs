// librdkafka's source and test runner: obtained from the npm registry (the tarball of
// @confluentinc/kafka-javascript carries it under deps/librdkafka), built once, cached.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LIBRDKAFKA_VERSION = '2.15.1';
/** The npm package whose tarball ships librdkafka 2.15.1's source, tests included. */
export const SOURCE_PACKAGE = '@confluentinc/kafka-javascript@1.10.1';
/** RD_KAFKA_VERSION of 2.15.1 in src/rdkafka.h (0xMMmmrrxx). */
const RD_KAFKA_VERSION_HEX = '0x020f01ff';

/** Debian packages the build needs (compiler, and the -dev packages of the optional codecs). */
export const BUILD_PACKAGES = [
  'build-essential',
  'python3',
  'libssl-dev',
  'zlib1g-dev',
  'libsasl2-dev',
  'libzstd-dev',
  'liblz4-dev',
  'libcurl4-openssl-dev',
  'rapidjson-dev',
];

const BUILD_STAMP = '.samsa-build';
const BUILD_COMMANDS = [
  ['./configure', '--disable-gssapi'],
  ['make', 'libs'],
  ['make', '-C', 'tests', 'build'],
];

function log(message) {
  process.stdout.write(`::: ${message}\n`);
}

/** Installs missing build dependencies with apt, as .ci/install-deps.sh does for the tests. */
export function ensureBuildPackages() {
  const missing = BUILD_PACKAGES.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  log(`installing Debian packages for the librdkafka build: ${missing.join(' ')}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    const r = spawnSync(cmd, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  };
  apt(['update', '-q']);
  apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
}

/**
 * Unpacks librdkafka's source into `<cacheDir>/librdkafka-2.15.1` (once) and returns that path.
 * The tarball comes from `npm pack`, i.e. the npm registry through npm's own client and cache.
 */
export function ensureSource(cacheDir) {
  const srcDir = join(cacheDir, `librdkafka-${LIBRDKAFKA_VERSION}`);
  if (existsSync(join(srcDir, 'tests', 'test.c'))) return srcDir;
  mkdirSync(cacheDir, { recursive: true });
  log(`fetching librdkafka ${LIBRDKAFKA_VERSION} source (npm pack ${SOURCE_PACKAGE})`);
  const out = execFileSync('npm', ['pack', SOURCE_PACKAGE, '--pack-destination', cacheDir, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = join(cacheDir, JSON.parse(out)[0].filename);
  const unpack = join(cacheDir, 'unpack');
  rmSync(unpack, { recursive: true, force: true });
  mkdirSync(unpack);
  execFileSync('tar', ['xzf', tarball, '-C', unpack, 'package/deps/librdkafka'], { stdio: 'inherit' });
  const header = readFileSync(join(unpack, 'package/deps/librdkafka/src/rdkafka.h'), 'utf8');
  if (!header.includes(`#define RD_KAFKA_VERSION ${RD_KAFKA_VERSION_HEX}`)) {
    throw new Error(`${SOURCE_PACKAGE} does not carry librdkafka ${LIBRDKAFKA_VERSION}`);
  }
  rmSync(srcDir, { recursive: true, force: true });
  renameSync(join(unpack, 'package/deps/librdkafka'), srcDir);
  rmSync(unpack, { recursive: true, force: true });
  rmSync(tarball, { force: true });
  return srcDir;
}

/** Builds the library and tests/test-runner unless a previous build left its stamp. */
export function ensureBuild(srcDir, jobs) {
  const stamp = join(srcDir, BUILD_STAMP);
  const expected = JSON.stringify(BUILD_COMMANDS);
  const runner = join(srcDir, 'tests', 'test-runner');
  if (existsSync(runner) && existsSync(stamp) && readFileSync(stamp, 'utf8') === expected) return runner;
  const logPath = join(srcDir, '..', 'build.log');
  log(`building librdkafka ${LIBRDKAFKA_VERSION} and its test runner (log: ${logPath})`);
  writeFileSync(logPath, '');
  const started = Date.now();
  for (const [cmd, ...args] of BUILD_COMMANDS) {
    const r = spawnSync('sh', ['-c', `"$0" "$@" >> "${logPath}" 2>&1`, cmd, ...args], {
      cwd: srcDir,
      stdio: 'inherit',
      env: { ...process.env, MAKEFLAGS: `-j${jobs}` },
    });
    if (r.status !== 0) {
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${tail}`);
    }
  }
  writeFileSync(stamp, expected);
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return runner;
}

/**
 * The tests declared in tests/test.c (`_TEST(NAME, FLAGS, ...)`), with what decides whether the
 * runner runs them against a broker: local/manual flags, known issues, minimum broker version
 * and scenario.
 */
export function listTests(srcDir) {
  const source = readFileSync(join(srcDir, 'tests', 'test.c'), 'utf8');
  const start = source.indexOf('struct test tests[] = {');
  const end = source.indexOf('{NULL}};', start);
  const table = source.slice(start, end);
  const tests = [];
  for (const m of table.matchAll(/_TEST\((\w+),/g)) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const from = i;
    while (depth > 0 && i < table.length) {
      if (table[i] === '(') depth++;
      else if (table[i] === ')') depth--;
      i++;
    }
    const body = table.slice(from, i - 1).replace(/\/\*[\s\S]*?\*\//g, '');
    const flags = body.split(',')[0]?.trim() ?? '';
    const minver = /TEST_BRKVER\((\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)/.exec(body);
    const scenario = /\.scenario\s*=\s*"([^"]*)"/.exec(body)?.[1] ?? 'default';
    tests.push({
      name: m[1],
      number: m[1].slice(0, 4),
      local: flags.includes('TEST_F_LOCAL'),
      manual: flags.includes('TEST_F_MANUAL'),
      // _WIN32/_OSX known issues are 0 on Linux.
      knownIssue: /TEST_F_KNOWN_ISSUE(?!_)/.test(flags),
      minVersion: minver === null ? null : minver.slice(1).join('.'),
      scenarios: scenario.split(','),
    });
  }
  return tests;
}

/** Tests that need a broker: everything but local (broker-less) and manual tests. */
export function brokerTests(srcDir) {
  return listTests(srcDir).filter((t) => !t.local && !t.manual);
}
