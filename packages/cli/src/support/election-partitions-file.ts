import type { TopicPartition } from '@samsa/client';
import { CommandError } from './command-errors.js';
import { jsonArray, jsonInt, jsonObject, jsonString, readJsonFile } from './json-file.js';

/**
 * The partitions file of the leader election tools (`--path-to-json-file`):
 * `{"partitions": [{"topic": "foo", "partition": 1}, ...]}`. `label` is the tool's name for it in
 * its messages ("Replica election data" for kafka-leader-election, "Preferred replica election
 * data" for kafka-preferred-replica-election); Kafka refuses duplicates, and so do we.
 */
export function readElectionPartitions(path: string, label: string): TopicPartition[] {
  const json = jsonObject(readJsonFile(path), path);
  if (!('partitions' in json)) throw new CommandError(`${label} is missing "partitions" field`);
  const partitions = jsonArray(json.partitions, '"partitions"').map((entry, i) => {
    const p = jsonObject(entry, `partitions[${i}]`);
    return {
      topic: jsonString(p.topic, `partitions[${i}].topic`),
      partition: jsonInt(p.partition, `partitions[${i}].partition`),
    };
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const p of partitions) {
    const name = `${p.topic}-${p.partition}`;
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  if (duplicates.size > 0) {
    throw new CommandError(`${label} contains duplicate partitions: ${[...duplicates].join(',')}`);
  }
  return partitions;
}
