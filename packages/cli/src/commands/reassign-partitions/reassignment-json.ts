import { readFileSync } from 'node:fs';
import { compareTopicPartitions, type TopicPartition } from '@samsa/client';
import { javaList, toolFailure } from './reassignment-failures.js';

/**
 * The tool's two JSON files, read and written as Kafka's ReassignPartitionsCommand does:
 *
 * - topics to move (`--topics-to-move-json-file`): `{"topics": [{"topic": "foo"}], "version": 1}`;
 * - a reassignment (`--reassignment-json-file`, and what `--generate` and `--execute` print):
 *   `{"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}`.
 *
 * Fields are decoded as Kafka's `DecodeJson` decodes them, with its messages (`No such field
 * exists: \`topic\``, ``Expected `Integer` value, received "1"``); `version` defaults to 1, the only
 * version there is; `log_dirs` is optional and `"any"` means no particular directory.
 */

/** A partition and the replicas it should have, leader first. */
export interface PartitionTarget extends TopicPartition {
  readonly replicas: readonly number[];
}

/** A replica that should live in a particular log directory of its broker. */
export interface ReplicaLogDir extends TopicPartition {
  readonly brokerId: number;
  readonly logDir: string;
}

export interface ReassignmentData {
  /** In file order, duplicates kept (`--execute` refuses them, with their names). */
  readonly partitions: readonly PartitionTarget[];
  readonly logDirs: readonly ReplicaLogDir[];
}

export const ANY_LOG_DIR = 'any';

/** `topic-partition`, as Java's TopicPartition prints itself. */
export function partitionName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Java's TopicPartitionReplica: `topic-partition-broker`. */
export function replicaName(r: ReplicaLogDir): string {
  return `${r.topic}-${r.partition}-${r.brokerId}`;
}

/** Kafka's `Utils.readFileAsString`, failing as the tool does (before it talks to any broker). */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : code;
    throw toolFailure(`${path} (${reason ?? (error as Error).message})`);
  }
}

/** Jackson's `JsonNode.toString()` for a value in a message. */
function node(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function object(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw toolFailure(`Expected JSON object, received ${node(value)}`);
  }
  return value as Record<string, unknown>;
}

function array(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw toolFailure(`Expected JSON array, received ${node(value)}`);
  return value;
}

function field(json: Record<string, unknown>, name: string): unknown {
  if (!Object.hasOwn(json, name)) throw toolFailure(`No such field exists: \`${name}\``);
  return json[name];
}

function int(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw toolFailure(`Expected \`Integer\` value, received ${node(value)}`);
  }
  return value;
}

function string(value: unknown): string {
  if (typeof value !== 'string') throw toolFailure(`Expected \`String\` value, received ${node(value)}`);
  return value;
}

function list<T>(value: unknown, element: (v: unknown) => T): T[] {
  if (!Array.isArray(value)) throw toolFailure(`Expected \`JSON array\` value, received ${node(value)}`);
  return value.map(element);
}

/** The file's `version`: absent means 1, and 1 is the only one. */
function checkVersion(json: Record<string, unknown>): void {
  const version = Object.hasOwn(json, 'version') ? int(json.version) : 1;
  if (version !== 1) throw toolFailure(`Not supported version field value ${version}`);
}

/**
 * `--topics-to-move-json-file`. Text that is not JSON at all is refused with Kafka's words for it
 * (the generate path parses leniently and reports only that).
 */
export function parseTopicsToMove(text: string): string[] {
  let parsed: unknown;
  try {
    if (text === '') throw new SyntaxError('empty');
    parsed = JSON.parse(text);
  } catch {
    throw toolFailure('The input string is not a valid JSON');
  }
  const json = object(parsed);
  checkVersion(json);
  if (!Object.hasOwn(json, 'topics')) return [];
  return array(json.topics).map((entry) => string(field(object(entry), 'topic')));
}

/**
 * `--reassignment-json-file`, for every action. Bad JSON is reported as Jackson's
 * JsonParseException (the parser's reason is Node's, not Jackson's).
 */
export function parseReassignment(text: string): ReassignmentData {
  let parsed: unknown;
  try {
    if (text === '') throw new SyntaxError("The input string shouldn't be empty");
    parsed = JSON.parse(text);
  } catch (error) {
    throw toolFailure(`com.fasterxml.jackson.core.JsonParseException: ${(error as Error).message}`);
  }
  const json = object(parsed);
  checkVersion(json);
  const partitions: PartitionTarget[] = [];
  const logDirs = new Map<string, ReplicaLogDir>();
  if (!Object.hasOwn(json, 'partitions')) return { partitions, logDirs: [] };
  for (const entry of array(json.partitions)) {
    const fields = object(entry);
    const topic = string(field(fields, 'topic'));
    const partition = int(field(fields, 'partition'));
    const replicas = list(field(fields, 'replicas'), int);
    const dirs = Object.hasOwn(fields, 'log_dirs') ? list(fields.log_dirs, string) : replicas.map(() => ANY_LOG_DIR);
    if (dirs.length !== replicas.length) {
      throw toolFailure(
        `Size of replicas list ${javaList(replicas)} is different from size of log dirs list ${javaList(dirs)} for partition ${topic}-${partition}`,
      );
    }
    partitions.push({ topic, partition, replicas });
    for (const [i, logDir] of dirs.entries()) {
      if (logDir === ANY_LOG_DIR) continue;
      const brokerId = replicas[i] as number;
      logDirs.set(`${topic}\u0000${partition}\u0000${brokerId}`, { topic, partition, brokerId, logDir });
    }
  }
  return { partitions, logDirs: [...logDirs.values()] };
}

/** Values that occur more than once, in the order they first repeat. */
export function duplicates<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const repeated = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) repeated.add(v);
    seen.add(v);
  }
  return [...repeated];
}

/** Kafka's `parseExecuteAssignmentArgs`: what `--execute` refuses before asking the cluster anything. */
export function checkExecutable(data: ReassignmentData): void {
  if (data.partitions.length === 0) throw toolFailure('Partition reassignment list cannot be empty');
  if (data.partitions.some((p) => p.replicas.length === 0)) {
    throw toolFailure('Partition replica list cannot be empty');
  }
  const repeated = duplicates(data.partitions.map(partitionName));
  if (repeated.length > 0) {
    throw toolFailure(`Partition reassignment contains duplicate topic partitions: ${repeated.join(',')}`);
  }
  const repeatedReplicas = data.partitions
    .map((p) => ({ p, repeated: duplicates(p.replicas) }))
    .filter((d) => d.repeated.length > 0);
  if (repeatedReplicas.length > 0) {
    const detail = repeatedReplicas
      .map((d) => `${partitionName(d.p)} contains multiple entries for ${d.repeated.join(',')}`)
      .join('. ');
    throw toolFailure(`Partition replica lists may not contain duplicate entries: ${detail}`);
  }
}

/**
 * Kafka's `formatAsReassignmentJson`: one line, partitions in topic-partition order, fields in
 * Kafka's order, each replica's log dir (`"any"` unless `logDirs` names one).
 */
export function reassignmentJson(
  partitions: readonly PartitionTarget[],
  logDirs: readonly ReplicaLogDir[] = [],
): string {
  const dirOf = new Map(logDirs.map((d) => [`${d.topic}\u0000${d.partition}\u0000${d.brokerId}`, d.logDir]));
  return JSON.stringify({
    version: 1,
    partitions: [...partitions].sort(compareTopicPartitions).map((p) => ({
      topic: p.topic,
      partition: p.partition,
      replicas: p.replicas,
      log_dirs: p.replicas.map((r) => dirOf.get(`${p.topic}\u0000${p.partition}\u0000${r}`) ?? ANY_LOG_DIR),
    })),
  });
}
