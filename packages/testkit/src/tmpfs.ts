import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs for tests of full disks: mounted on a fresh directory, filled to the brim with a
 * filler file, grown again with a remount. Mounting needs root (CAP_SYS_ADMIN), as CI runs; without
 * it the test fails saying so.
 */
export class Tmpfs {
  private constructor(readonly dir: string) {}

  static mount(sizeBytes: number): Tmpfs {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `mounting a tmpfs failed (the full-disk tests need root, or CAP_SYS_ADMIN, to mount one): ${(err as Error).message}`,
      );
    }
    return new Tmpfs(dir);
  }

  /** Bytes still free. */
  get freeBytes(): number {
    const stats = statfsSync(this.dir);
    return stats.bavail * stats.bsize;
  }

  /** Writes a filler file so that only about `leaveBytes` stay free. */
  fill(leaveBytes: number, name = 'filler'): void {
    const size = Math.max(0, this.freeBytes - leaveBytes);
    writeFileSync(join(this.dir, name), Buffer.alloc(size));
  }

  /** Frees space: removes a filler file. */
  unfill(name = 'filler'): void {
    rmSync(join(this.dir, name), { force: true });
  }

  /** Grows (or shrinks) the file system in place. */
  resize(sizeBytes: number): void {
    execFileSync('mount', ['-o', `remount,size=${sizeBytes}`, this.dir], { stdio: 'pipe' });
  }

  unmount(): void {
    try {
      execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
