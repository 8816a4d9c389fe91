import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ConfigException } from '../config/config-def.js';
import { type OffsetStore, offsetsOf } from '../storage/offset-store.js';

type OffsetMap = Readonly<Record<string, unknown>>;

/**
 * Source offsets of a standalone worker (`offset.storage.file.filename`). Keys are the JSON of
 * `[connectorName, sourcePartition]` (the key Kafka's workers write to their offset topic); the
 * file is one JSON object `{ key: sourceOffset }`. Kafka's own file is Java-serialized and not
 * readable here. Written whole to `<file>.tmp` then renamed over the file, so a crash leaves the
 * old or the new offsets, never a torn file.
 */
export class FileOffsetStore implements OffsetStore {
  private readonly data = new Map<string, OffsetMap>();
  private dirty = false;

  constructor(readonly filename: string) {
    if (!existsSync(filename)) return;
    const text = readFileSync(filename, 'utf8');
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigException(
        'offset.storage.file.filename',
        filename,
        `not a Samsa offset file (${(error as Error).message}); Kafka's Java-serialized offset files cannot be read`,
      );
    }
    for (const [key, value] of Object.entries(parsed as Record<string, OffsetMap>)) this.data.set(key, value);
  }

  static key(connector: string, partition: Readonly<Record<string, unknown>>): string {
    return JSON.stringify([connector, partition]);
  }

  get(connector: string, partition: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
    const value = this.data.get(FileOffsetStore.key(connector, partition));
    return value === undefined ? null : { ...value };
  }

  set(connector: string, partition: Readonly<Record<string, unknown>>, offset: OffsetMap | null): void {
    const key = FileOffsetStore.key(connector, partition);
    if (offset === null) this.data.delete(key);
    else this.data.set(key, offset);
    this.dirty = true;
  }

  connectorOffsets(connector: string): { partition: OffsetMap; offset: OffsetMap }[] {
    return offsetsOf(connector, this.data);
  }

  /** Writes the file if anything changed since the last flush. */
  flush(): void {
    if (!this.dirty) return;
    const tmp = `${this.filename}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.data)));
    renameSync(tmp, this.filename);
    this.dirty = false;
  }
}
