import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * A task's `.checkpoint` file, in Kafka Streams' OffsetCheckpoint text format, so the layout is
 * familiar to anyone who has looked inside a Java state directory:
 *
 *     0                         version
 *     2                         number of entries
 *     app-counts-changelog 3 41 topic, partition, offset of the last changelog record in the store
 *
 * Written to `.checkpoint.tmp` and renamed, so a crash leaves the old file or the new one, never
 * half of one. Restoration resumes after the checkpointed offset.
 */
export class OffsetCheckpoint {
  constructor(readonly path: string) {}

  read(): Map<string, bigint> {
    const out = new Map<string, bigint>();
    if (!existsSync(this.path)) return out;
    const lines = readFileSync(this.path, 'utf8').split('\n');
    if (lines[0]?.trim() !== '0') throw new Error(`${this.path}: unknown checkpoint version ${lines[0]}`);
    const count = Number(lines[1]);
    for (let i = 0; i < count; i++) {
      const parts = (lines[2 + i] ?? '').trim().split(' ');
      if (parts.length !== 3) throw new Error(`${this.path}: malformed line ${2 + i}`);
      out.set(`${parts[0]}:${parts[1]}`, BigInt(parts[2] as string));
    }
    return out;
  }

  /** Keys are `topic:partition`. */
  write(offsets: ReadonlyMap<string, bigint>): void {
    const lines = ['0', String(offsets.size)];
    for (const [tp, offset] of offsets) {
      const at = tp.lastIndexOf(':');
      lines.push(`${tp.slice(0, at)} ${tp.slice(at + 1)} ${offset}`);
    }
    writeFileSync(`${this.path}.tmp`, `${lines.join('\n')}\n`);
    renameSync(`${this.path}.tmp`, this.path);
  }

  delete(): void {
    rmSync(this.path, { force: true });
  }
}
