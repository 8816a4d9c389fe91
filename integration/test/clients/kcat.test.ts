/**
 * kcat (librdkafka 2.0.2) against a Samsa broker: metadata, produce and consume with every
 * codec, keys and headers, the idempotent producer, and ListOffsets by timestamp.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess, requireCommand, run } from '@samsa/testkit';

const KCAT = requireCommand('kcat', 'kcat');

describe('kcat', () => {
  let broker: BrokerProcess;

  before(async () => {
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  });
  after(async () => {
    await broker?.close();
  });

  const kcat = (args: string[], input?: string) =>
    run(KCAT, ['-b', broker.bootstrap, ...args], { input: input ?? '', timeoutMs: 30000 });

  test('-L lists the broker as controller and auto-created topics', async () => {
    const produced = await kcat(['-P', '-t', 'kcat-meta'], 'x\n');
    assert.equal(produced.code, 0, produced.stderr);
    const result = await kcat(['-L', '-t', 'kcat-meta']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1 brokers:\n\s+broker 0 at 127\.0\.0\.1:\d+ \(controller\)/);
    assert.match(result.stdout, /topic "kcat-meta" with 1 partitions:\n\s+partition 0, leader 0, replicas: 0, isrs: 0/);
  });

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    test(`produce and consume with compression ${codec}, keys and headers`, async () => {
      const topic = `kcat-${codec}`;
      const lines = Array.from({ length: 50 }, (_, i) => `key${i}:value-${codec}-${i}`).join('\n');
      const produced = await kcat(
        ['-P', '-t', topic, '-K', ':', '-z', codec, '-H', 'h1=v1', '-H', 'h2=v2'],
        `${lines}\n`,
      );
      assert.equal(produced.code, 0, produced.stderr);
      const consumed = await kcat(['-C', '-t', topic, '-e', '-f', '%o|%k|%s|%h\n']);
      assert.equal(consumed.code, 0, consumed.stderr);
      const rows = consumed.stdout.trim().split('\n');
      assert.equal(rows.length, 50);
      rows.forEach((row, i) => {
        assert.equal(row, `${i}|key${i}|value-${codec}-${i}|h1=v1,h2=v2`);
      });
    });
  }

  test('consume from an offset and with a count', async () => {
    const topic = 'kcat-offsets';
    await kcat(['-P', '-t', topic], `${Array.from({ length: 10 }, (_, i) => `m${i}`).join('\n')}\n`);
    const from5 = await kcat(['-C', '-t', topic, '-o', '5', '-e', '-f', '%o %s\n']);
    assert.deepEqual(from5.stdout.trim().split('\n'), ['5 m5', '6 m6', '7 m7', '8 m8', '9 m9']);
    const last2 = await kcat(['-C', '-t', topic, '-o', '-2', '-e', '-f', '%s\n']);
    assert.deepEqual(last2.stdout.trim().split('\n'), ['m8', 'm9']);
    const count3 = await kcat(['-C', '-t', topic, '-o', 'beginning', '-c', '3', '-f', '%s\n']);
    assert.deepEqual(count3.stdout.trim().split('\n'), ['m0', 'm1', 'm2']);
  });

  test('idempotent producer (enable.idempotence=true) writes each record once, in order', async () => {
    const topic = 'kcat-idempotent';
    const input = `${Array.from({ length: 1000 }, (_, i) => `r${i}`).join('\n')}\n`;
    const produced = await kcat(['-P', '-t', topic, '-X', 'enable.idempotence=true', '-X', 'linger.ms=5'], input);
    assert.equal(produced.code, 0, produced.stderr);
    const consumed = await kcat(['-C', '-t', topic, '-e', '-f', '%s\n']);
    assert.deepEqual(consumed.stdout.trim().split('\n'), input.trim().split('\n'));
  });

  test('-Q finds offsets by timestamp', async () => {
    const topic = 'kcat-times';
    const base = Date.now() - 100000;
    // Records with explicit timestamps 1 s apart (kcat -P takes none, so use a message per call).
    for (let i = 0; i < 5; i++) {
      const r = await kcat(['-P', '-t', topic, '-p', '0'], `t${i}\n`);
      assert.equal(r.code, 0, r.stderr);
    }
    const all = await kcat(['-C', '-t', topic, '-e', '-f', '%T %o\n']);
    const stamps = all.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number)) as [number, number][];
    assert.equal(stamps.length, 5);
    const [ts2, off2] = stamps[2] as [number, number];
    const q = await kcat(['-Q', '-t', `${topic}:0:${ts2}`]);
    assert.equal(q.code, 0, q.stderr);
    // The first offset whose timestamp is >= ts2 is at most off2 (equal timestamps may precede it).
    const found = Number(/offset (\d+)/.exec(q.stdout)?.[1]);
    assert.ok(found <= off2 && (stamps[found] as [number, number])[0] >= ts2, q.stdout);
    const future = await kcat(['-Q', '-t', `${topic}:0:${Date.now() + 3600000}`]);
    assert.match(future.stdout, /offset -1/);
    assert.ok(base < ts2);
  });
});
