import * as fs from 'node:fs';
import { dirname } from 'node:path';

/**
 * The fsync used by everything in storage. It always runs off the event loop (libuv's thread
 * pool). Tests replace it to count syncs or to inject failures.
 */
export type FsyncFn = (fd: number) => Promise<void>;

export const defaultFdatasync: FsyncFn = (fd) =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

export function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, offset, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))),
  );
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export async function readFully(fd: number, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = await readAt(fd, buf, done, length - done, position + done);
    if (n === 0) return buf.subarray(0, done);
    done += n;
  }
  return buf;
}

/** Synchronous counterpart of readFully, for small header reads on rarely used paths. */
export function readFullySync(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) return buf.subarray(0, done);
    done += n;
  }
  return buf;
}

/** Writes all of `buf[offset, offset+length)` at `position`, looping over short writes. */
export function writeFullySync(fd: number, buf: Buffer, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    done += fs.writeSync(fd, buf, offset + done, length - done, position + done);
  }
}

/**
 * Replaces `path` atomically with `data`: write `<path>.tmp`, fsync it, rename over `path`, then
 * fsync the directory so the rename itself is durable (Kafka's `Utils.atomicMoveWithFallback`).
 * A crash leaves the old file or the new one, never a mix. The one atomic write of storage and
 * broker: checkpoints, `.properties` files, the broker's metadata file. Two writes to the same
 * path must not overlap (they share the temp file).
 */
export async function atomicWriteFile(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, path);
  await fsyncDir(dirname(path));
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

/**
 * `fsyncDir` on the event loop, for the rare rename whose durability must come before the next
 * step happens (a log swap between log dirs); a few milliseconds.
 */
export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function existsSync(path: string): boolean {
  return fs.existsSync(path);
}

export function deleteIfExistsSync(path: string): boolean {
  try {
    fs.unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export function renameIfExistsSync(from: string, to: string): boolean {
  try {
    fs.renameSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
