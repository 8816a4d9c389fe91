import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FileStreamSourceTask } from '../src/file/file-stream-source-task.js';
import { FileOffsetStore } from '../src/runtime/file-offset-store.js';

const dir = mkdtempSync(join(tmpdir(), 'samsa-connect-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function startTask(file: string, stored: Record<string, unknown> | null, batchSize = 2000): FileStreamSourceTask {
  const task = new FileStreamSourceTask();
  task.initialize({ configs: {}, offsetStorageReader: { offset: () => stored } });
  task.start({ file, topic: 't', 'batch.size': String(batchSize) });
  return task;
}

test('complete lines only, CRLF trimmed, offset = the byte after each line, partial lines wait', async () => {
  const file = join(dir, 'a.txt');
  writeFileSync(file, 'one\r\ntwo\nthr');
  const task = startTask(file, null);
  const first = await task.poll();
  assert.deepEqual(
    first?.map((r) => [r.value, r.sourceOffset, r.sourcePartition, r.topic]),
    [
      ['one', { position: 5 }, { filename: file }, 't'],
      ['two', { position: 9 }, { filename: file }, 't'],
    ],
  );
  appendFileSync(file, 'ee\n');
  const second = await task.poll();
  assert.deepEqual(
    second?.map((r) => [r.value, r.sourceOffset]),
    [['three', { position: 15 }]],
  );
  task.stop();
});

test('resumes at the stored position and honours batch.size', async () => {
  const file = join(dir, 'b.txt');
  writeFileSync(file, 'a\nb\nc\nd\n');
  const task = startTask(file, { position: 2 }, 2);
  assert.deepEqual(
    (await task.poll())?.map((r) => r.value),
    ['b', 'c'],
  );
  assert.deepEqual(
    (await task.poll())?.map((r) => r.value),
    ['d'],
  );
  task.stop();
});

test('stop() ends a poll that is waiting for a line', async () => {
  const task = startTask(join(dir, 'missing.txt'), null);
  const polling = task.poll();
  setTimeout(() => task.stop(), 50);
  assert.equal(await polling, null);
});

test('FileOffsetStore writes atomically and reads back; a corrupt file names the key', () => {
  const path = join(dir, 'offsets');
  const store = new FileOffsetStore(path);
  store.set('c', { filename: 'x' }, { position: 7 });
  store.flush();
  assert.equal(existsSync(`${path}.tmp`), false);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { '["c",{"filename":"x"}]': { position: 7 } });
  assert.deepEqual(new FileOffsetStore(path).get('c', { filename: 'x' }), { position: 7 });
  assert.equal(new FileOffsetStore(path).get('other', { filename: 'x' }), null);
  writeFileSync(path, '\xac\xed\x00\x05sr');
  assert.throws(
    () => new FileOffsetStore(path),
    /Invalid value .* for configuration offset\.storage\.file\.filename: not a Samsa offset file/,
  );
});
