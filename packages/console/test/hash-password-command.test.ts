import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { runConsole } from '../src/run-console.js';
import { verifyPassword } from '../src/security/password-hash.js';

function io(input: string) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      stdin: Readable.from([Buffer.from(input)]),
    },
  };
}

test('samsa console hash-password hashes the first line of stdin', async () => {
  const { out, io: cmdIo } = io('s3cret pass\nignored\n');
  assert.equal(await runConsole(['hash-password'], cmdIo), 0, out.stderr);
  const hash = out.stdout.trim();
  assert.match(hash, /^scrypt\$131072\$8\$1\$/);
  assert.equal(await verifyPassword('s3cret pass', hash), true);
  assert.equal(await verifyPassword('s3cret pass\nignored', hash), false);
});

test('an empty stdin is refused with the usage', async () => {
  const { out, io: cmdIo } = io('');
  assert.equal(await runConsole(['hash-password'], cmdIo), 1);
  assert.match(out.stderr, /No password on stdin/);
  assert.equal(out.stdout, '');
});
