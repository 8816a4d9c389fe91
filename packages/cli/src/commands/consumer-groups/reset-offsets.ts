import { readFileSync } from 'node:fs';
import { type Admin, OffsetSpec, type TopicPartition } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import { CommandError, UsageError } from '../../support/command-errors.js';
import type { CommandIo } from '../../support/command-io.js';
import { Progress } from '../../support/progress.js';
import { listConsumerGroups } from './list.js';
import { logEndOffsets } from './log-end-offsets.js';
import {
  exportCsv,
  formatResetTable,
  type OffsetToReset,
  parseDateTime,
  parseDuration,
  parseResetPlan,
} from './offsets-reset-plan.js';
import { partitionsOf } from './partitions-of.js';

/** Kafka's checkOffsetsRange: requested offsets outside [log start, log end] are clamped, with a warning. */
async function clampToRange(
  admin: Admin,
  requested: Map<string, { tp: TopicPartition; offset: bigint }>,
  io: CommandIo,
) {
  const tps = [...requested.values()].map((r) => r.tp);
  const starts = await logEndOffsets(admin, tps, OffsetSpec.EARLIEST);
  const ends = await logEndOffsets(admin, tps, OffsetSpec.LATEST);
  for (const [key, r] of requested) {
    const end = ends.get(key);
    const start = starts.get(key);
    if (end === undefined)
      throw new CommandError(`Error: Unexpected non-existing offset value for topic partition ${key}`);
    if (r.offset > end) {
      io.stderr.write(
        `WARN New offset (${r.offset}) is higher than latest offset for topic partition ${key}. Value will be set to ${end}\n`,
      );
      r.offset = end;
    } else if (start !== undefined && r.offset < start) {
      io.stderr.write(
        `WARN New offset (${r.offset}) is lower than earliest offset for topic partition ${key}. Value will be set to ${start}\n`,
      );
      r.offset = start;
    }
  }
}

async function prepareOffsets(
  admin: Admin,
  group: string,
  partitions: readonly TopicPartition[],
  options: ParsedOptions,
  plan: readonly OffsetToReset[] | undefined,
  io: CommandIo,
): Promise<OffsetToReset[]> {
  const keyOf = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;
  const result = (m: Map<string, { tp: TopicPartition; offset: bigint }>) =>
    [...m.values()].map((r) => ({ group, topic: r.tp.topic, partition: r.tp.partition, offset: r.offset }));
  const fromSpec = async (spec: bigint, what: string) => {
    const offsets = await logEndOffsets(admin, partitions, spec);
    return partitions.map((tp) => {
      const offset = offsets.get(keyOf(tp));
      if (offset === undefined) throw new CommandError(`Error getting ${what} offset of topic partition: ${keyOf(tp)}`);
      return { group, topic: tp.topic, partition: tp.partition, offset };
    });
  };
  const byTimestamp = async (timestamp: number) => {
    const out: OffsetToReset[] = [];
    for (const tp of partitions) {
      const [listed] = await admin.listOffsets([{ ...tp, timestamp: BigInt(timestamp) }]);
      let offset = listed?.offset ?? -1n;
      if (offset < 0n) {
        io.stdout.write(
          `\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`,
        );
        offset = (await logEndOffsets(admin, [tp], OffsetSpec.LATEST)).get(keyOf(tp)) ?? 0n;
      }
      out.push({ group, topic: tp.topic, partition: tp.partition, offset });
    }
    return out;
  };
  if (options.has('to-offset')) {
    const offset = options.bigint('to-offset') as bigint;
    const requested = new Map(partitions.map((tp) => [keyOf(tp), { tp, offset }]));
    await clampToRange(admin, requested, io);
    return result(requested);
  }
  if (options.has('to-earliest')) return fromSpec(OffsetSpec.EARLIEST, 'starting');
  if (options.has('to-latest')) return fromSpec(OffsetSpec.LATEST, 'ending');
  if (options.has('shift-by')) {
    const shift = options.bigint('shift-by') as bigint;
    const committed = new Map((await admin.listConsumerGroupOffsets(group)).map((c) => [keyOf(c), c.offset]));
    const requested = new Map<string, { tp: TopicPartition; offset: bigint }>();
    for (const tp of partitions) {
      const current = committed.get(keyOf(tp));
      if (current === undefined || current < 0n) {
        throw new UsageError(
          `Cannot shift offset for partition ${keyOf(tp)} since there is no current committed offset`,
        );
      }
      requested.set(keyOf(tp), { tp, offset: current + shift });
    }
    await clampToRange(admin, requested, io);
    return result(requested);
  }
  if (options.has('to-datetime')) return byTimestamp(parseDateTime(options.value('to-datetime') as string));
  if (options.has('by-duration'))
    return byTimestamp(Date.now() - parseDuration(options.value('by-duration') as string));
  if (plan !== undefined) {
    const forGroup = plan.filter((p) => p.group === group);
    if (forGroup.length === 0) {
      io.stderr.write(`\nError: No reset plan for group ${group} found\n`);
      return [];
    }
    const requested = new Map(
      forGroup.map((p) => [keyOf(p), { tp: { topic: p.topic, partition: p.partition }, offset: p.offset }]),
    );
    await clampToRange(admin, requested, io);
    return result(requested);
  }
  // --to-current: the committed offset, or the log end where there is none.
  const committed = new Map((await admin.listConsumerGroupOffsets(group)).map((c) => [keyOf(c), c.offset]));
  const missing = partitions.filter((tp) => (committed.get(keyOf(tp)) ?? -1n) < 0n);
  const ends = await logEndOffsets(admin, missing, OffsetSpec.LATEST);
  return partitions.map((tp) => {
    const current = committed.get(keyOf(tp));
    const offset = current !== undefined && current >= 0n ? current : ends.get(keyOf(tp));
    if (offset === undefined) throw new CommandError(`Error getting ending offset of topic partition: ${keyOf(tp)}`);
    return { group, topic: tp.topic, partition: tp.partition, offset };
  });
}

/** `--reset-offsets`: plans new offsets per group (dry run) or commits them (`--execute`), or exports the plan. */
export async function resetOffsets(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  if (!options.has('dry-run') && !options.has('execute')) {
    io.stderr.write(
      'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
    );
  }
  const groupIds = options.has('all-groups')
    ? (await listConsumerGroups(admin)).map((g) => g.groupId)
    : options.values('group');
  const singleGroup = options.values('group').length === 1 ? options.value('group') : undefined;
  const plan = options.has('from-file')
    ? parseResetPlan(readFileSync(options.value('from-file') as string, 'utf8'), singleGroup)
    : undefined;
  const descriptions = await admin.describeGroups(groupIds);
  const all: OffsetToReset[] = [];
  const progress = new Progress(io, 'Resetting offsets of groups', groupIds.length);
  let status = 0;
  try {
    for (const [i, d] of descriptions.entries()) {
      progress.update(i);
      if (d.state !== 'Empty' && d.state !== 'Dead') {
        io.stderr.write(
          `\nError: Assignments can only be reset if the group '${d.groupId}' is inactive, but the current state is ${d.state}.\n`,
        );
        status = 1;
        continue;
      }
      let partitions: TopicPartition[];
      if (options.has('all-topics'))
        partitions = (await admin.listConsumerGroupOffsets(d.groupId)).map((c) => ({
          topic: c.topic,
          partition: c.partition,
        }));
      else if (options.has('topic')) partitions = await partitionsOf(admin, options.values('topic'));
      else if (plan !== undefined) partitions = [];
      else throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
      const offsets = (await prepareOffsets(admin, d.groupId, partitions, options, plan, io)).sort((a, b) =>
        a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
      );
      if (options.has('execute') && offsets.length > 0) {
        await admin.alterConsumerGroupOffsets(
          d.groupId,
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
        );
      }
      all.push(...offsets);
    }
  } finally {
    progress.done();
  }
  if (options.has('export')) io.stdout.write(`${exportCsv(all, singleGroup !== undefined)}\n`);
  else io.stdout.write(formatResetTable(all));
  return status;
}
