import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp directory in which the openssl command line makes keys and certificates (RSA 2048, valid
 * one day). This is the only place that runs openssl, so a missing binary always fails the same
 * way: naming the Debian package. Files are named after what they hold: `<name>.key` (unencrypted
 * PKCS8), `<name>.pem` (a self-signed certificate: a CA), `<name>.crt` (a certificate signed by a CA).
 */
export class PkiDirectory {
  private constructor(readonly dir: string) {}

  /**
   * Makes a directory, lets `fill` write into it and returns what `fill` returns. When `fill`
   * throws, the directory is removed before the error goes on: the caller never sees it.
   */
  static with<T>(prefix: string, fill: (pki: PkiDirectory) => T): T {
    const pki = new PkiDirectory(mkdtempSync(join(tmpdir(), prefix)));
    try {
      return fill(pki);
    } catch (error) {
      pki.remove();
      throw error;
    }
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** `<name>.key` and the self-signed `<name>.pem`; `extensions` are `-addext` values. */
  selfSigned(name: string, subject: string, extensions: readonly string[] = []): void {
    this.openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      subject,
      ...extensions.flatMap((extension) => ['-addext', extension]),
      '-keyout',
      this.path(`${name}.key`),
      '-out',
      this.path(`${name}.pem`),
    );
  }

  /** `<name>.key` and `<name>.crt`, signed by the CA `<caName>.pem`; `extensions` are extfile lines. */
  signed(name: string, subject: string, caName: string, extensions: readonly string[]): void {
    this.openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      this.path(`${name}.key`),
      '-out',
      this.path(`${name}.csr`),
    );
    writeFileSync(this.path(`${name}.ext`), extensions.map((line) => `${line}\n`).join(''));
    this.openssl(
      'x509',
      '-req',
      '-in',
      this.path(`${name}.csr`),
      '-CA',
      this.path(`${caName}.pem`),
      '-CAkey',
      this.path(`${caName}.key`),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      this.path(`${name}.ext`),
      '-out',
      this.path(`${name}.crt`),
    );
  }

  /** A PKCS12 keystore `out` holding `key`, `cert` and, when given, the chain file `certFile`. */
  pkcs12(out: string, key: string, cert: string, password: string, certFile?: string): void {
    this.openssl(
      'pkcs12',
      '-export',
      '-inkey',
      this.path(key),
      '-in',
      this.path(cert),
      ...(certFile === undefined ? [] : ['-certfile', this.path(certFile)]),
      '-passout',
      `pass:${password}`,
      '-out',
      this.path(out),
    );
  }

  /** `key` encrypted (PKCS8) with `password`, written to `out`. */
  encryptKey(out: string, key: string, password: string): void {
    this.openssl('pkcs8', '-topk8', '-in', this.path(key), '-passout', `pass:${password}`, '-out', this.path(out));
  }

  /** `out` made of the given files, one after the other (a PEM keystore is key + certificate chain). */
  concat(out: string, ...files: string[]): void {
    writeFileSync(this.path(out), files.map((file) => this.read(file)).join(''));
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private openssl(...args: string[]): void {
    try {
      execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(
          "'openssl' is not installed (Debian package openssl); install it with: sudo bash .ci/install-deps.sh",
        );
      }
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`openssl ${args[0]} failed: ${stderr || (error as Error).message}`, { cause: error });
    }
  }
}
