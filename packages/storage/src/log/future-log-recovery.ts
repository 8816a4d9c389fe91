import {
  DELETE_DIR_SUFFIX,
  FUTURE_DIR_SUFFIX,
  parseTopicPartitionName,
  parseUniqueDirName,
  topicPartitionDirName,
} from '../util/log-file-utils.js';

/** The entries of one log dir at startup; undefined if the dir could not be read. */
export interface LogDirListing {
  readonly logDir: string;
  readonly names: readonly string[] | undefined;
}

export interface FutureDirRef {
  readonly logDir: string;
  readonly name: string;
  readonly topic: string;
  readonly partition: number;
}

/** What startup does with each `<topic>-<partition>.<uuid>-future` dir it finds. */
export interface FutureLogPlan {
  /** A move interrupted mid-copy: opened as the partition's future log, and the copy resumes. */
  readonly resume: readonly FutureDirRef[];
  /** A swap interrupted after the old copy was retired: renamed `<topic>-<partition>`, served. */
  readonly promote: readonly FutureDirRef[];
  /** Copies nothing will ever complete: deleted. */
  readonly remove: readonly FutureDirRef[];
  /** Left alone, unopened, because a log dir that may hold their current log could not be read. */
  readonly ignore: readonly FutureDirRef[];
}

/**
 * Decides, before any log is opened, what becomes of the future replicas a previous run left
 * (AlterReplicaLogDirs). A future log is never served as the partition unless it had provably
 * caught up. Kafka resumes such moves, and so does Samsa:
 *
 * - the partition's current dir exists in another log dir → resume the copy (one future per
 *   partition; any other is removed, as is a future in the same log dir as its current);
 * - no current dir, but a `<topic>-<partition>.<uuid>-delete` dir → the broker stopped in the
 *   middle of a swap, which retires the old copy first (renamed `-delete`, its log dir fsynced)
 *   and only then renames the caught-up future: promote it;
 * - no current dir and no retired copy → an orphan (its partition was deleted, or someone removed
 *   the current dir): removed — unless some log dir could not be read, since the current may be
 *   there: then it is left on disk and not opened.
 *
 * Pure: the caller lists the dirs and applies the plan.
 */
export function planFutureLogs(listings: readonly LogDirListing[]): FutureLogPlan {
  const currentDirs = new Map<string, string>();
  const retired = new Set<string>();
  const futures: FutureDirRef[] = [];
  const someUnreadable = listings.some((l) => l.names === undefined);
  for (const { logDir, names } of listings) {
    for (const name of names ?? []) {
      const future = parseUniqueDirName(name, FUTURE_DIR_SUFFIX);
      if (future !== undefined) {
        futures.push({ logDir, name, ...future });
        continue;
      }
      const deleted = parseUniqueDirName(name, DELETE_DIR_SUFFIX);
      if (deleted !== undefined) {
        retired.add(topicPartitionDirName(deleted.topic, deleted.partition));
        continue;
      }
      if (parseTopicPartitionName(name) !== undefined) currentDirs.set(name, logDir);
    }
  }
  const resume: FutureDirRef[] = [];
  const promote: FutureDirRef[] = [];
  const remove: FutureDirRef[] = [];
  const ignore: FutureDirRef[] = [];
  const claimed = new Set<string>();
  for (const f of futures) {
    const k = topicPartitionDirName(f.topic, f.partition);
    const currentDir = currentDirs.get(k);
    if (claimed.has(k) || currentDir === f.logDir) {
      remove.push(f);
      continue;
    }
    if (currentDir !== undefined) resume.push(f);
    else if (retired.has(k)) promote.push(f);
    else if (someUnreadable) ignore.push(f);
    else {
      remove.push(f);
      continue;
    }
    claimed.add(k);
  }
  return { resume, promote, remove, ignore };
}
