import { IsolationLevel } from '@samsa/protocol';

/** `isolation.level` as Kafka's configs spell it. */
export type IsolationLevelName = 'read_uncommitted' | 'read_committed';

/** The wire code of an `isolation.level` setting: Fetch's and ListOffsets' `isolationLevel`. */
export function isolationLevel(name: IsolationLevelName): IsolationLevel {
  return name === 'read_committed' ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
}
