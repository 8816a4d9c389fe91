/**
 * Kafka's documented topic-level configs, each with a short paraphrase of what it does and the
 * type its value must have. The console shows these beside the create and edit forms and checks
 * values against `type` before asking the cluster. Names not listed here are passed to the
 * cluster as they are (brokers may know more configs than this table).
 */
export type TopicConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list';

export interface TopicConfigDoc {
  readonly name: string;
  readonly type: TopicConfigType;
  /** Allowed values, for enumerations (each item of a list for `list`). */
  readonly validValues?: readonly string[];
  readonly doc: string;
}

export const TOPIC_CONFIG_DOCS: readonly TopicConfigDoc[] = [
  {
    name: 'cleanup.policy',
    type: 'list',
    validValues: ['delete', 'compact'],
    doc: 'What happens to old segments: "delete" drops them by time or size, "compact" keeps the latest record per key; both may be combined.',
  },
  {
    name: 'compression.type',
    type: 'string',
    validValues: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    doc: 'Codec the broker stores batches with; "producer" keeps whatever codec the producer used.',
  },
  {
    name: 'delete.retention.ms',
    type: 'long',
    doc: 'How long tombstones stay readable on a compacted topic after cleaning, so consumers can see deletions.',
  },
  {
    name: 'file.delete.delay.ms',
    type: 'long',
    doc: 'Wait before a segment marked for deletion is removed from disk.',
  },
  {
    name: 'flush.messages',
    type: 'long',
    doc: 'Force an fsync after this many messages (normally left to the OS and replication).',
  },
  {
    name: 'flush.ms',
    type: 'long',
    doc: 'Force an fsync after this much time (normally left to the OS and replication).',
  },
  {
    name: 'index.interval.bytes',
    type: 'int',
    doc: 'Bytes of log between two offset-index entries; smaller means a denser index.',
  },
  {
    name: 'max.compaction.lag.ms',
    type: 'long',
    doc: 'Longest time a record may stay uncompacted on a compacted topic.',
  },
  { name: 'max.message.bytes', type: 'int', doc: 'Largest record batch the topic accepts, after compression.' },
  {
    name: 'message.timestamp.type',
    type: 'string',
    validValues: ['CreateTime', 'LogAppendTime'],
    doc: "Whether record timestamps are the producer's (CreateTime) or the broker's append time (LogAppendTime).",
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: 'double',
    doc: 'Share of uncompacted log (0 to 1) that makes the cleaner compact a partition.',
  },
  {
    name: 'min.compaction.lag.ms',
    type: 'long',
    doc: 'Shortest time a record stays uncompacted on a compacted topic.',
  },
  { name: 'min.insync.replicas', type: 'int', doc: 'Replicas that must be in sync for an acks=all write to succeed.' },
  { name: 'preallocate', type: 'boolean', doc: 'Allocate the segment file on disk when a segment is created.' },
  {
    name: 'retention.bytes',
    type: 'long',
    doc: 'Size a partition may grow to before old segments are deleted; -1 means no limit.',
  },
  { name: 'retention.ms', type: 'long', doc: 'Age after which old segments are deleted; -1 means keep forever.' },
  { name: 'segment.bytes', type: 'int', doc: 'Size at which a partition rolls to a new segment file.' },
  { name: 'segment.index.bytes', type: 'int', doc: 'Size of the offset index file preallocated per segment.' },
  {
    name: 'segment.jitter.ms',
    type: 'long',
    doc: 'Random amount taken off segment.ms, so that partitions do not all roll at once.',
  },
  { name: 'segment.ms', type: 'long', doc: 'Age at which a partition rolls to a new segment even if it is not full.' },
  {
    name: 'unclean.leader.election.enable',
    type: 'boolean',
    doc: 'Allow an out-of-sync replica to become leader when no in-sync one is left (may lose data).',
  },
];

const BY_NAME = new Map(TOPIC_CONFIG_DOCS.map((d) => [d.name, d]));

export function topicConfigDoc(name: string): TopicConfigDoc | undefined {
  return BY_NAME.get(name);
}

/** Why `value` is not valid for the documented config `name`, or undefined if it is (or unknown). */
export function topicConfigValueProblem(name: string, value: string): string | undefined {
  const doc = BY_NAME.get(name);
  if (doc === undefined) return undefined;
  const items = doc.type === 'list' ? value.split(',').map((v) => v.trim()) : [value];
  switch (doc.type) {
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(value)) return `${name} must be an integer`;
      const limit = doc.type === 'int' ? 2n ** 31n : 2n ** 63n;
      if (BigInt(value) >= limit || BigInt(value) < -limit) return `${name} is out of range for a ${doc.type}`;
      break;
    }
    case 'double':
      if (!/^-?\d+(\.\d+)?$/.test(value)) return `${name} must be a number`;
      break;
    case 'boolean':
      if (value !== 'true' && value !== 'false') return `${name} must be true or false`;
      break;
    default:
      break;
  }
  if (doc.validValues !== undefined) {
    const bad = items.find((v) => !doc.validValues?.includes(v));
    if (bad !== undefined)
      return `${name} must be ${doc.type === 'list' ? 'a list of' : 'one of'} ${doc.validValues.join(', ')}`;
  }
  return undefined;
}
