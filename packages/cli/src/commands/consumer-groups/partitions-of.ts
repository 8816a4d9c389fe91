import type { Admin, TopicPartition } from '@samsa/client';
import { UsageError } from '../../support/command-errors.js';

/** `topic` or `topic:0,1,2` arguments to partitions (Kafka's parseTopicPartitionsToReset). */
export async function partitionsOf(admin: Admin, topicArgs: readonly string[]): Promise<TopicPartition[]> {
  const out: TopicPartition[] = [];
  const whole: string[] = [];
  for (const arg of topicArgs) {
    if (!arg.includes(':')) {
      whole.push(arg);
      continue;
    }
    const parts = arg.split(':');
    if (parts.length !== 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
    for (const p of (parts[1] as string).split(',')) {
      if (!/^\d+$/.test(p)) throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
      out.push({ topic: parts[0] as string, partition: Number(p) });
    }
  }
  if (whole.length > 0) {
    for (const d of await admin.describeTopics(whole)) {
      for (const p of d.partitions) out.push({ topic: d.name, partition: p.partition });
    }
  }
  return out;
}
