import * as fs from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../util/file-ops.js';

export const CLEAN_SHUTDOWN_FILE_NAME = '.kafka_cleanshutdown';

/**
 * The clean-shutdown marker of a log dir (Kafka's `CleanShutdownFileHandler`). Its presence at
 * startup means every log in the dir was flushed and its indexes and producer snapshots written,
 * so logs load without recovery. Content (KIP-966) is JSON with string values:
 *   {"version":"0","broker_epoch":"<epoch>"}
 */
export class CleanShutdownFile {
  readonly path: string;

  constructor(logDir: string) {
    this.path = join(logDir, CLEAN_SHUTDOWN_FILE_NAME);
  }

  exists(): boolean {
    return fs.existsSync(this.path);
  }

  async write(brokerEpoch = -1): Promise<void> {
    const handle = await fs.promises.open(this.path, 'w');
    try {
      await handle.writeFile(JSON.stringify({ version: '0', broker_epoch: String(brokerEpoch) }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsyncDir(join(this.path, '..'));
  }

  /** The broker epoch recorded at shutdown, -1 if none, undefined if the file is missing or unreadable. */
  read(): number | undefined {
    try {
      const content = JSON.parse(fs.readFileSync(this.path, 'utf8')) as Record<string, unknown>;
      const epoch = Number(content.broker_epoch ?? -1);
      return Number.isFinite(epoch) ? epoch : -1;
    } catch {
      return undefined;
    }
  }

  async delete(): Promise<void> {
    await fs.promises.rm(this.path, { force: true });
  }
}
