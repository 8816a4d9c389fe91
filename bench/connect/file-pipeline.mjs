#!/usr/bin/env node
// Kafka's Connect quickstart as a benchmark: N lines in a file → FileStreamSource → a topic →
// FileStreamSink → another file, through bin/connect-standalone.sh and a broker on a free port.
// Prints the time from the worker's start until the sink file holds every line. Figures only.
//   npm run build && node bench/connect/file-pipeline.mjs [--lines 100000] [--converter json|string]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess } from '@samsa/testkit';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const lines = Number(arg('--lines', '100000'));
const converter =
  arg('--converter', 'json') === 'string'
    ? 'org.apache.kafka.connect.storage.StringConverter'
    : 'org.apache.kafka.connect.json.JsonConverter';

const broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
const dir = mkdtempSync(join(tmpdir(), 'samsa-connect-bench-'));
try {
  let text = '';
  for (let i = 0; i < lines; i++) text += `line ${String(i).padStart(8, '0')} of the connect file pipeline benchmark\n`;
  writeFileSync(join(dir, 'in.txt'), text);
  const expectedBytes = Buffer.byteLength(text);
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      `key.converter=${converter}`,
      `value.converter=${converter}`,
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=1000',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'source.properties'),
    `name=src\nconnector.class=FileStreamSource\nfile=${join(dir, 'in.txt')}\ntopic=bench\n`,
  );
  writeFileSync(
    join(dir, 'sink.properties'),
    `name=sink\nconnector.class=FileStreamSink\nfile=${join(dir, 'out.txt')}\ntopics=bench\n`,
  );
  const started = Date.now();
  const worker = spawn(
    join(root, 'bin/connect-standalone.sh'),
    ['worker.properties', 'source.properties', 'sink.properties'],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  );
  const out = join(dir, 'out.txt');
  while (!existsSync(out) || statSync(out).size < expectedBytes) {
    if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (Date.now() - started) / 1000;
  worker.kill('SIGTERM');
  await new Promise((r) => worker.on('exit', r));
  console.log(
    `${lines} lines (${(expectedBytes / 1e6).toFixed(1)} MB), ${converter.split('.').pop()}: ${seconds.toFixed(2)} s from worker start to the last line in the sink file, ${Math.round(lines / seconds)} lines/s`,
  );
} finally {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}
