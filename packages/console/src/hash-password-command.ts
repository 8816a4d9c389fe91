import { hashPassword } from './security/password-hash.js';

export const HASH_PASSWORD_USAGE = [
  'USAGE: samsa console hash-password < password-file',
  '',
  'Reads one password from stdin (its first line) and prints its scrypt hash',
  '(scrypt$N$r$p$salt$hash) for the users list of a console config file.',
  'Interactively: read -rs PW && printf \'%s\' "$PW" | samsa console hash-password',
  '',
].join('\n');

export interface HashPasswordIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin?: NodeJS.ReadableStream;
}

/** `samsa console hash-password`: stdin's first line → its hash on stdout. An empty password is refused. */
export async function runHashPassword(argv: readonly string[], io: HashPasswordIo): Promise<number> {
  if (argv.length > 0) {
    const help = argv[0] === '--help' || argv[0] === '-h';
    (help ? io.stdout : io.stderr).write(HASH_PASSWORD_USAGE);
    return help ? 0 : 1;
  }
  const stdin = io.stdin ?? process.stdin;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (password === '') {
    io.stderr.write(`No password on stdin\n${HASH_PASSWORD_USAGE}`);
    return 1;
  }
  io.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}
