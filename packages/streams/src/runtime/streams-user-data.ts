/**
 * What Streams instances tell each other through the group: the subscription's and the
 * assignment's user data. Samsa's own layouts, not Java's `SubscriptionInfo`/`AssignmentInfo` (a
 * Java Streams instance cannot share an application.id with a Samsa one anyway):
 * - subscription v2: int32 version, 16-byte process UUID, int32 length + UTF-8 endpoint (-1 when
 *   unset), then the task offset sums (KIP-441) as int32 count × (int16-length task id, int64
 *   sum); v1 (older Samsa) had the previous active and standby task ids as two string lists;
 * - assignment v2: int32 version, the standby task ids (warm-ups included) as int32 count ×
 *   int16-length strings, then int64 the time of the next probing rebalance (-1: none); v1 ended
 *   after the standbys.
 */
export interface SubscriptionInfo {
  readonly processId: string;
  readonly userEndPoint: string | undefined;
  /**
   * Per task whose state this instance holds: the sum over its changelog partitions of the next
   * offset its stores lack; {@link LATEST_OFFSET} for a task it runs (caught up by definition).
   */
  readonly taskOffsetSums: ReadonlyMap<string, bigint>;
}

export interface AssignmentInfo {
  readonly standbyTasks: readonly string[];
  /** When to rejoin to check on warm-ups (epoch ms), or -1. */
  readonly nextProbingRebalanceMs: number;
}

/** Java's `Task.LATEST_OFFSET`: the offset sum of a running active task. */
export const LATEST_OFFSET = -2n;

const SUBSCRIPTION_VERSION = 2;
const ASSIGNMENT_VERSION = 2;

class Writer {
  private readonly parts: Buffer[] = [];
  int32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    this.parts.push(b);
    return this;
  }
  int64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    this.parts.push(b);
    return this;
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    const length = Buffer.alloc(2);
    length.writeInt16BE(bytes.length);
    this.parts.push(length, bytes);
    return this;
  }
  strings(list: readonly string[]): this {
    this.int32(list.length);
    for (const item of list) this.string(item);
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
  int64(): bigint {
    const n = this.data.readBigInt64BE(this.at);
    this.at += 8;
    return n;
  }
  bytes(n: number): Buffer {
    if (n < 0 || this.at + n > this.data.length) throw new RangeError('truncated');
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  string(): string {
    const n = this.data.readInt16BE(this.at);
    this.at += 2;
    return this.bytes(n).toString('utf8');
  }
  count(): number {
    const count = this.int32();
    if (count < 0 || count > this.data.length) throw new RangeError('bad count');
    return count;
  }
  strings(): string[] {
    return Array.from({ length: this.count() }, () => this.string());
  }
}

export function encodeSubscriptionInfo(info: SubscriptionInfo): Buffer {
  const endpoint = info.userEndPoint === undefined ? undefined : Buffer.from(info.userEndPoint, 'utf8');
  const w = new Writer().int32(SUBSCRIPTION_VERSION).raw(Buffer.from(info.processId.replaceAll('-', ''), 'hex'));
  w.int32(endpoint === undefined ? -1 : endpoint.length);
  if (endpoint !== undefined) w.raw(endpoint);
  w.int32(info.taskOffsetSums.size);
  for (const [task, sum] of info.taskOffsetSums) w.string(task).int64(sum);
  return w.done();
}

/**
 * Undefined for user data this version does not know (another client, a newer layout). A v1
 * subscription's previous active tasks read as running ({@link LATEST_OFFSET}), its standbys as
 * holding nothing yet (sum 0).
 */
export function decodeSubscriptionInfo(data: Buffer | null): SubscriptionInfo | undefined {
  if (data === null || data.length < 24) return undefined;
  const version = data.readInt32BE(0);
  if (version !== 1 && version !== SUBSCRIPTION_VERSION) return undefined;
  try {
    const r = new Reader(data);
    r.int32();
    const hex = r.bytes(16).toString('hex');
    const processId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const length = r.int32();
    const userEndPoint = length < 0 ? undefined : r.bytes(length).toString('utf8');
    const taskOffsetSums = new Map<string, bigint>();
    if (version === 1) {
      for (const task of r.strings()) taskOffsetSums.set(task, LATEST_OFFSET);
      for (const task of r.strings()) if (!taskOffsetSums.has(task)) taskOffsetSums.set(task, 0n);
    } else {
      const count = r.count();
      for (let i = 0; i < count; i++) taskOffsetSums.set(r.string(), r.int64());
    }
    return { processId, userEndPoint, taskOffsetSums };
  } catch {
    return undefined;
  }
}

export function encodeAssignmentInfo(info: AssignmentInfo): Buffer {
  return new Writer()
    .int32(ASSIGNMENT_VERSION)
    .strings(info.standbyTasks)
    .int64(BigInt(info.nextProbingRebalanceMs))
    .done();
}

/** Unknown or malformed data reads as no standbys and no probing rebalance. */
export function decodeAssignmentInfo(data: Buffer | null | undefined): AssignmentInfo {
  const none = { standbyTasks: [], nextProbingRebalanceMs: -1 };
  if (data === null || data === undefined || data.length < 8) return none;
  const version = data.readInt32BE(0);
  if (version !== 1 && version !== ASSIGNMENT_VERSION) return none;
  try {
    const r = new Reader(data);
    r.int32();
    const standbyTasks = r.strings();
    return { standbyTasks, nextProbingRebalanceMs: version === 1 ? -1 : Number(r.int64()) };
  } catch {
    return none;
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
