import {
  type Admin,
  type ElectionResult,
  type ElectionTypeName,
  ErrorCode,
  KafkaError,
  type TopicPartition,
} from '@samsa/client';
import { CommandError } from './command-errors.js';
import type { CommandIo } from './command-io.js';

/** Kafka's election tools give the call 30 s (their `default.api.timeout.ms`). */
const ELECTION_TIMEOUT_MS = 30_000;

/** The outcomes of an election, sorted as the tools print them. */
export interface ElectionOutcomes {
  /** A new leader was elected. */
  readonly succeeded: readonly TopicPartition[];
  /** ELECTION_NOT_NEEDED: the replica asked for already leads. */
  readonly noop: readonly TopicPartition[];
  readonly failed: readonly (TopicPartition & { readonly error: KafkaError })[];
}

/**
 * ElectLeaders through the admin client, with the two failures of the whole call Kafka's
 * election tools explain (a line on stdout, then the same as the command's error): the
 * controller's answer did not come in time, or the principal may not elect leaders.
 */
export async function electLeaders(
  admin: Admin,
  electionType: ElectionTypeName,
  partitions: readonly TopicPartition[] | null,
  io: CommandIo,
): Promise<ElectionOutcomes> {
  let results: ElectionResult[];
  try {
    results = await admin.electLeaders(electionType, partitions, { timeoutMs: ELECTION_TIMEOUT_MS });
  } catch (error) {
    const code = error instanceof KafkaError ? error.errorCode : undefined;
    const message =
      code === ErrorCode.REQUEST_TIMED_OUT
        ? 'Timeout waiting for election results'
        : code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED
          ? 'Not authorized to perform leader election'
          : undefined;
    if (message === undefined) throw error;
    io.stdout.write(`${message}\n`);
    throw new CommandError(message);
  }
  const succeeded: TopicPartition[] = [];
  const noop: TopicPartition[] = [];
  const failed: (TopicPartition & { error: KafkaError })[] = [];
  for (const r of results) {
    const tp = { topic: r.topic, partition: r.partition };
    if (r.error === null) succeeded.push(tp);
    else if (r.error.errorCode === ErrorCode.ELECTION_NOT_NEEDED) noop.push(tp);
    else failed.push({ ...tp, error: r.error });
  }
  return { succeeded, noop, failed };
}

/** `t-0, t-1`: partitions as Kafka's tools list them (TopicPartition.toString, comma and space). */
export function partitionNames(partitions: readonly TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}-${p.partition}`).join(', ');
}
