/**
 * When a listener container commits offsets (Spring's `ContainerProperties.AckMode`). Only used
 * when the consumer's own auto-commit is off (`enable.auto.commit=false`, the container's
 * default); with auto-commit on, the consumer commits what earlier polls returned.
 *
 * - `RECORD`: after each record the listener handled.
 * - `BATCH`: after all records of a poll were handled (Spring's default).
 * - `TIME`: after a poll, if `ackTimeMs` passed since the last commit.
 * - `COUNT`: after a poll, if `ackCount` records were handled since the last commit.
 * - `COUNT_TIME`: whichever of TIME and COUNT comes first.
 * - `MANUAL`: the listener calls `acknowledge()`; acknowledged offsets are committed as BATCH does.
 * - `MANUAL_IMMEDIATE`: `acknowledge()` commits at once.
 */
export const AckMode = {
  RECORD: 'RECORD',
  BATCH: 'BATCH',
  TIME: 'TIME',
  COUNT: 'COUNT',
  COUNT_TIME: 'COUNT_TIME',
  MANUAL: 'MANUAL',
  MANUAL_IMMEDIATE: 'MANUAL_IMMEDIATE',
} as const;

export type AckMode = (typeof AckMode)[keyof typeof AckMode];

export function isAckMode(value: string): value is AckMode {
  return Object.hasOwn(AckMode, value);
}
