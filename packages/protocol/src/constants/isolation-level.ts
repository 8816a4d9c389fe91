/** Fetch's and ListOffsets' `isolationLevel`. */
export const IsolationLevel = {
  READ_UNCOMMITTED: 0,
  READ_COMMITTED: 1,
} as const;
export type IsolationLevel = (typeof IsolationLevel)[keyof typeof IsolationLevel];
