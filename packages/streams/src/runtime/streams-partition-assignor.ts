import type { MemberAssignment, MemberSubscription, PartitionAssignor, TopicPartition } from '@samsa/client';
import { assignTasks, type TaskClient } from './sticky-task-assignor.js';

/**
 * What an instance tells the group in its subscription's user data: its process id, its
 * `application.server` and the tasks whose state it holds (for sticky placement). Samsa's own
 * layout — int32 version 1, 16-byte process UUID, int32 length + UTF-8 endpoint (-1 when unset),
 * then the previous active and standby task ids as int32 count + int16-length strings — not
 * Java's `SubscriptionInfo`: a Java Streams instance cannot share an application.id with a
 * Samsa one anyway.
 */
export interface SubscriptionInfo {
  readonly processId: string;
  readonly userEndPoint: string | undefined;
  readonly prevActiveTasks: readonly string[];
  readonly prevStandbyTasks: readonly string[];
}

const VERSION = 1;

class Writer {
  private readonly parts: Buffer[] = [];
  int32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    this.parts.push(b);
    return this;
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  strings(list: readonly string[]): this {
    this.int32(list.length);
    for (const item of list) {
      const bytes = Buffer.from(item, 'utf8');
      const length = Buffer.alloc(2);
      length.writeInt16BE(bytes.length);
      this.parts.push(length, bytes);
    }
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads past the end throw a RangeError: callers treat the data as unknown. */
class Reader {
  at = 0;
  constructor(private readonly data: Buffer) {}
  int32(): number {
    const n = this.data.readInt32BE(this.at);
    this.at += 4;
    return n;
  }
  bytes(n: number): Buffer {
    if (n < 0 || this.at + n > this.data.length) throw new RangeError('truncated');
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  strings(): string[] {
    const count = this.int32();
    if (count < 0 || count > this.data.length) throw new RangeError('bad count');
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.data.readInt16BE(this.at);
      this.at += 2;
      out.push(this.bytes(n).toString('utf8'));
    }
    return out;
  }
}

export function encodeSubscriptionInfo(info: SubscriptionInfo): Buffer {
  const endpoint = info.userEndPoint === undefined ? undefined : Buffer.from(info.userEndPoint, 'utf8');
  const w = new Writer().int32(VERSION).raw(Buffer.from(info.processId.replaceAll('-', ''), 'hex'));
  w.int32(endpoint === undefined ? -1 : endpoint.length);
  if (endpoint !== undefined) w.raw(endpoint);
  return w.strings(info.prevActiveTasks).strings(info.prevStandbyTasks).done();
}

/** Undefined for user data this version does not know (another client, a newer layout). */
export function decodeSubscriptionInfo(data: Buffer | null): SubscriptionInfo | undefined {
  if (data === null || data.length < 24 || data.readInt32BE(0) !== VERSION) return undefined;
  try {
    const r = new Reader(data);
    r.int32();
    const hex = r.bytes(16).toString('hex');
    const processId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const length = r.int32();
    const userEndPoint = length < 0 ? undefined : r.bytes(length).toString('utf8');
    return { processId, userEndPoint, prevActiveTasks: r.strings(), prevStandbyTasks: r.strings() };
  } catch {
    return undefined;
  }
}

/** The assignment's user data: int32 version 1, then this member's standby task ids. */
export function encodeAssignmentInfo(standbyTasks: readonly string[]): Buffer {
  return new Writer().int32(VERSION).strings(standbyTasks).done();
}

export function decodeAssignmentInfo(data: Buffer | null): string[] {
  if (data === null || data.length < 8 || data.readInt32BE(0) !== VERSION) return [];
  try {
    const r = new Reader(data);
    r.int32();
    return r.strings();
  } catch {
    return [];
  }
}

/**
 * The consumer protocol's subscription as DescribeGroups returns it (int16 version, topics,
 * nullable user data: the same layout in versions 0–3), read only as far as the user data.
 */
export function subscriptionUserData(metadata: Buffer): Buffer | null {
  try {
    let at = 2;
    const topics = metadata.readInt32BE(at);
    at += 4;
    for (let i = 0; i < topics; i++) at += 2 + metadata.readInt16BE(at);
    const length = metadata.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > metadata.length) return null;
    return metadata.subarray(at, at + length);
  } catch {
    return null;
  }
}

/**
 * The consumer protocol's assignment as DescribeGroups returns it (int16 version, partitions by
 * topic, nullable user data: the same layout in versions 0–3), read only for the user data.
 */
export function assignmentUserData(assignment: Buffer): Buffer | null {
  try {
    let at = 2;
    const topics = assignment.readInt32BE(at);
    at += 4;
    for (let i = 0; i < topics; i++) {
      at += 2 + assignment.readInt16BE(at);
      at += 4 + 4 * assignment.readInt32BE(at);
    }
    const length = assignment.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > assignment.length) return null;
    return assignment.subarray(at, at + length);
  } catch {
    return null;
  }
}

/**
 * Kafka Streams' group protocol `stream`: every member's subscription carries its
 * {@link SubscriptionInfo}, so instances find each other's `application.server` (interactive
 * queries) and the leader knows where each task's state is. The leader places tasks
 * (sub-topology × partition) with {@link assignTasks} — sticky active tasks, standbys on other
 * members — and gives each member the input partitions of its active tasks (all source topics
 * of a task together: co-partitioning) and, in the user data, its standby tasks.
 */
export class StreamsPartitionAssignor implements PartitionAssignor {
  readonly name = 'stream';
  readonly protocol = 'EAGER' as const;

  constructor(
    private readonly info: () => SubscriptionInfo,
    /** Sub-topology id → its physical source topics. */
    private readonly topicsBySubtopology: ReadonlyMap<number, readonly string[]>,
    private readonly numStandbyReplicas: number,
  ) {}

  subscriptionUserData(): Buffer {
    return encodeSubscriptionInfo(this.info());
  }

  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment> {
    const tasks: string[] = [];
    for (const [sub, topics] of this.topicsBySubtopology) {
      const partitions = Math.max(0, ...topics.map((t) => partitionsPerTopic.get(t) ?? 0));
      for (let p = 0; p < partitions; p++) tasks.push(`${sub}_${p}`);
    }
    const clients: TaskClient[] = [...subscriptions.values()].map((s) => {
      const info = decodeSubscriptionInfo(s.userData);
      return {
        memberId: s.memberId,
        prevActive: new Set(info?.prevActiveTasks ?? []),
        prevStandby: new Set(info?.prevStandbyTasks ?? []),
      };
    });
    const { active, standby } = assignTasks(tasks, clients, this.numStandbyReplicas);
    const out = new Map<string, MemberAssignment>();
    for (const memberId of subscriptions.keys()) {
      const partitions: TopicPartition[] = [];
      for (const task of active.get(memberId) ?? []) {
        const [sub, p] = task.split('_').map(Number) as [number, number];
        for (const topic of this.topicsBySubtopology.get(sub) ?? []) {
          if (p < (partitionsPerTopic.get(topic) ?? 0)) partitions.push({ topic, partition: p });
        }
      }
      out.set(memberId, { partitions, userData: encodeAssignmentInfo(standby.get(memberId) ?? []) });
    }
    return out;
  }
}
