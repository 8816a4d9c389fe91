import * as fs from 'node:fs';
import { atomicWriteFile } from '../util/file-ops.js';

/**
 * `partition.metadata` (Kafka's `PartitionMetadataFile`): the topic ID of a partition directory,
 * so that a recreated topic of the same name is never mistaken for the old one. Text, no
 * trailing newline:
 *   version: 0
 *   topic_id: <22-character base64url Kafka UUID>
 */
export class PartitionMetadataFile {
  static readonly VERSION = 0;

  constructor(readonly path: string) {}

  static encode(topicId: string): string {
    return `version: ${PartitionMetadataFile.VERSION}\ntopic_id: ${topicId}`;
  }

  static decode(text: string, path = 'partition.metadata'): string {
    const lines = text.split('\n').map((l) => l.trim());
    const version = /^version:\s*(\d+)$/.exec(lines[0] ?? '');
    if (!version || Number(version[1]) !== PartitionMetadataFile.VERSION) {
      throw new Error(`malformed partition metadata file ${path}: bad version line`);
    }
    const id = /^topic_id:\s*([A-Za-z0-9_-]{22})$/.exec(lines[1] ?? '');
    if (!id) throw new Error(`malformed partition metadata file ${path}: bad topic_id line`);
    return id[1] as string;
  }

  exists(): boolean {
    return fs.existsSync(this.path);
  }

  /** The topic ID, or undefined if the file does not exist. */
  read(): string | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return PartitionMetadataFile.decode(text, this.path);
  }

  write(topicId: string): Promise<void> {
    return atomicWriteFile(this.path, PartitionMetadataFile.encode(topicId));
  }
}
