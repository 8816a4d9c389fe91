/**
 * When a punctuator fires (Kafka's `PunctuationType`): STREAM_TIME advances only with the
 * timestamps of records the task processes (no records, no punctuation); WALL_CLOCK_TIME follows
 * the system clock (in TopologyTestDriver, the clock moved by `advanceWallClockTime`).
 */
export const PunctuationType = {
  STREAM_TIME: 'STREAM_TIME',
  WALL_CLOCK_TIME: 'WALL_CLOCK_TIME',
} as const;
export type PunctuationType = (typeof PunctuationType)[keyof typeof PunctuationType];

/** Kafka's `Punctuator`: called with the time (stream or wall-clock) that triggered it. */
export type Punctuator = (timestamp: number) => void;

/** Kafka's `Cancellable`, returned by `schedule`. */
export interface Cancellable {
  cancel(): void;
}
