import { type Admin, ErrorCode, KafkaError, type TopicPartition } from '@samsa/client';
import { errorByCode } from '@samsa/protocol';
import type { ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import type { CommandIo } from '../../support/command-io.js';
import { errorLine } from '../../support/error-report.js';
import { partitionsOf } from './partitions-of.js';

/** `--delete-offsets`: deletes a group's offsets of topics, with Kafka's per-partition status table. */
export async function deleteOffsets(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  const group = options.value('group') as string;
  const topics = options.values('topic');
  const results = new Map<string, { tp: TopicPartition; error: string | null }>();
  let partitions: TopicPartition[] = [];
  for (const topic of topics) {
    try {
      partitions.push(...(await partitionsOf(admin, [topic])));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      results.set(`${topic}--1`, { tp: { topic, partition: -1 }, error: errorLine(error) });
    }
  }
  partitions = partitions.filter(
    (tp, i) => partitions.findIndex((x) => x.topic === tp.topic && x.partition === tp.partition) === i,
  );
  let topLevel: KafkaError | undefined;
  try {
    if (partitions.length > 0) await admin.deleteConsumerGroupOffsets(group, partitions);
    for (const tp of partitions) results.set(`${tp.topic}-${tp.partition}`, { tp, error: null });
  } catch (error) {
    if (!(error instanceof KafkaError)) throw error;
    topLevel = error;
    // Samsa's client stops at the first error; ask again per partition to report each one.
    for (const tp of partitions) {
      try {
        await admin.deleteConsumerGroupOffsets(group, [tp]);
        results.set(`${tp.topic}-${tp.partition}`, { tp, error: null });
      } catch (e) {
        results.set(`${tp.topic}-${tp.partition}`, {
          tp,
          error: e instanceof KafkaError ? errorByCode(e.errorCode).message : errorLine(e),
        });
      }
    }
  }
  const code = topLevel?.errorCode;
  if (code === undefined)
    io.stdout.write(`Request succeed for deleting offsets with topic ${topics.join(', ')} group ${group}\n`);
  else if (code === ErrorCode.INVALID_GROUP_ID) io.stderr.write(`\nError: '${group}' is not valid.\n`);
  else if (code === ErrorCode.GROUP_ID_NOT_FOUND) io.stderr.write(`\nError: '${group}' does not exist.\n`);
  else if (code === ErrorCode.NON_EMPTY_GROUP) {
    io.stderr.write(
      `\nError: Deleting offsets of a consumer group '${group}' is forbidden if the group is not empty.\n`,
    );
  } else if (
    (
      [
        ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC,
        ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ] as number[]
    ).includes(code)
  ) {
    io.stderr.write('\nError: Encounter some partition level error, see the follow-up details:\n');
  } else io.stderr.write(`\nError: Encounter some unknown error: ${topLevel?.errorName}\n`);
  const line = (a: string, b: string, c: string) => `\n${a.padEnd(30)} ${b.padEnd(15)} ${c.padEnd(15)}`;
  let out = line('TOPIC', 'PARTITION', 'STATUS');
  const sorted = [...results.values()].sort((a, b) =>
    `${a.tp.topic}${a.tp.partition}` < `${b.tp.topic}${b.tp.partition}` ? -1 : 1,
  );
  for (const r of sorted) {
    out += line(
      r.tp.topic,
      r.tp.partition >= 0 ? String(r.tp.partition) : 'Not Provided',
      r.error === null ? 'Successful' : `Error: :${r.error}`,
    );
  }
  io.stdout.write(`${out}\n`);
  return topLevel === undefined && sorted.every((r) => r.error === null) ? 0 : 1;
}
