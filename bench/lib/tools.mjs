/**
 * The load generator and the C peer: librdkafka's `rdkafka_performance`, compiled from Debian's
 * `librdkafka` source package against the installed `librdkafka-dev`, and `mock-cluster`, our
 * few lines of C around librdkafka's built-in mock cluster. Both land in bench/.cache/bin
 * (ignored, never committed) and are rebuilt only when the installed librdkafka changes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian packages the suite uses; installed with apt when missing, as .ci/install-deps.sh does. */
const PACKAGES = ['librdkafka-dev', 'gcc', 'make', 'dpkg-dev', 'iperf3'];

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts });

function installedVersion(pkg) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status} ${Version}', pkg], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.startsWith('install ok installed')) return undefined;
  return r.stdout.split(' ').pop();
}

function asRoot(args) {
  const root = process.getuid?.() === 0;
  return root ? args : ['sudo', ...args];
}

function run(log, argv, opts = {}) {
  log(`  $ ${argv.join(' ')}`);
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${argv.join(' ')} failed (exit ${r.status}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trim());
  }
  return r.stdout;
}

let aptUpdated = false;
function aptUpdate(log) {
  if (aptUpdated) return;
  run(log, asRoot(['apt-get', 'update', '-q']));
  aptUpdated = true;
}

export function ensurePackages(log) {
  const missing = PACKAGES.filter((p) => installedVersion(p) === undefined);
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  aptUpdate(log);
  run(log, asRoot(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing]), {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** True if apt has a deb-src entry (one-line or deb822 format). */
function hasDebSrc() {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const f of readdirSync(dir)) files.push(join(dir, f));
  for (const f of files) {
    if (!(f.endsWith('.list') || f.endsWith('.sources')) || !existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    if (/^\s*deb-src\s/m.test(text) || /^Types:.*\bdeb-src\b/m.test(text)) return true;
  }
  return false;
}

/**
 * Adds a deb-src twin of Debian's deb822 entries (a separate file, so the machine's own
 * debian.sources stays as it was).
 */
function enableDebSrc(log) {
  const source = '/etc/apt/sources.list.d/debian.sources';
  if (!existsSync(source)) throw new Error(`no deb-src entry and no ${source} to derive one from`);
  const stanzas = readFileSync(source, 'utf8')
    .split(/\n\s*\n/)
    .filter((s) => /^Types:.*\bdeb\b/m.test(s))
    .map((s) => s.replace(/^Types:.*$/m, 'Types: deb-src'));
  const target = '/etc/apt/sources.list.d/samsa-bench-deb-src.sources';
  log(`enabling source packages: writing ${target}`);
  const content = `# Added by Samsa's bench/run.mjs to fetch librdkafka's source (rdkafka_performance).\n${stanzas.join('\n\n')}\n`;
  if (process.getuid?.() === 0) writeFileSync(target, content);
  else run(log, ['sudo', 'tee', target], { input: content });
  aptUpdated = false;
}

/** Builds (if needed) and returns the paths of rdkafka_performance and mock-cluster. */
export function ensureTools(cacheDir, benchDir, log) {
  const binDir = join(cacheDir, 'bin');
  const perf = join(binDir, 'rdkafka_performance');
  const mock = join(binDir, 'mock-cluster');
  const stamp = join(binDir, 'stamp');
  ensurePackages(log);
  const version = installedVersion('librdkafka-dev');
  const mockSource = readFileSync(join(benchDir, 'lib', 'mock-cluster.c'), 'utf8');
  const wanted = `librdkafka-dev ${version}\n${mockSource.length}`;
  if (existsSync(perf) && existsSync(mock) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
    return { perf, mock, librdkafkaVersion: version };
  }
  const started = Date.now();
  log(`building rdkafka_performance from Debian's librdkafka ${version} source package`);
  mkdirSync(binDir, { recursive: true });
  const srcRoot = join(cacheDir, 'src');
  const upstream = version.replace(/-[^-]+$/, '').replace(/^\d+:/, '');
  const srcDir = join(srcRoot, `librdkafka-${upstream}`);
  if (!existsSync(join(srcDir, 'examples', 'rdkafka_performance.c'))) {
    if (!hasDebSrc()) enableDebSrc(log);
    aptUpdate(log);
    rmSync(srcRoot, { recursive: true, force: true });
    mkdirSync(srcRoot, { recursive: true });
    run(log, ['apt-get', 'source', '-q', `librdkafka=${version}`], { cwd: srcRoot });
  }
  if (!existsSync(join(srcDir, 'config.h'))) {
    // Only config.h is needed: it describes this machine's libc and compiler to rd.h.
    run(log, ['./configure', '--prefix=/usr'], { cwd: srcDir });
  }
  run(log, [
    'gcc',
    '-O2',
    '-I',
    join(srcDir, 'src'),
    '-I',
    srcDir,
    '-o',
    perf,
    join(srcDir, 'examples', 'rdkafka_performance.c'),
    '-lrdkafka',
    '-lm',
    '-lpthread',
  ]);
  run(log, ['gcc', '-O2', '-Wall', '-o', mock, join(benchDir, 'lib', 'mock-cluster.c'), '-lrdkafka']);
  writeFileSync(stamp, wanted);
  log(`built ${perf} and ${mock} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { perf, mock, librdkafkaVersion: version };
}

export function commandExists(cmd) {
  try {
    sh('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}
