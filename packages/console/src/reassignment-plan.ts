import { HttpError } from './http-error.js';

/** One partition's replicas in Kafka's reassignment JSON (kafka-reassign-partitions.sh). */
export interface ReassignmentEntry {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly log_dirs: readonly string[];
}

export interface ReassignmentJson {
  readonly version: 1;
  readonly partitions: readonly ReassignmentEntry[];
}

export interface TopicLayout {
  readonly topic: string;
  /** Current replicas by partition (index = partition id); the plan keeps count and RF. */
  readonly partitions: readonly (readonly number[])[];
}

export interface PlanBroker {
  readonly id: number;
  readonly rack: string | null;
}

/**
 * A balanced assignment of `topics` over `brokers`, as `kafka-reassign-partitions.sh --generate`
 * makes one: Kafka's round-robin placement (the first replica moves one broker per partition, the
 * followers are shifted so that replicas do not repeat in pairs), and with `rackAware` the broker
 * list alternates racks and a replica skips a rack already used while another is free. Unlike
 * Kafka, the start index is not random: it advances by one per topic, so a plan is reproducible
 * and leaders of successive topics start on different brokers. Pure: no I/O.
 */
export function generatePlan(
  topics: readonly TopicLayout[],
  brokers: readonly PlanBroker[],
  rackAware: boolean,
): ReassignmentJson {
  if (brokers.length === 0) throw new HttpError(400, 'choose at least one broker');
  const ids = brokers.map((b) => b.id);
  if (new Set(ids).size !== ids.length) throw new HttpError(400, 'brokers are listed twice');
  if (rackAware && brokers.some((b) => b.rack === null)) {
    throw new HttpError(400, 'a rack-aware plan needs a rack on every chosen broker');
  }
  const arranged = rackAware ? rackAlternated(brokers) : [...brokers].sort((a, b) => a.id - b.id);
  const partitions: ReassignmentEntry[] = [];
  topics.forEach((t, topicIndex) => {
    const rf = t.partitions[0]?.length ?? 0;
    if (rf > arranged.length) {
      throw new HttpError(
        400,
        `topic '${t.topic}' has replication factor ${rf}, more than the ${arranged.length} broker(s) chosen`,
      );
    }
    const assignment = assign(t.partitions.length, rf, arranged, topicIndex % arranged.length, rackAware);
    assignment.forEach((replicas, partition) => {
      partitions.push({ topic: t.topic, partition, replicas, log_dirs: replicas.map(() => 'any') });
    });
  });
  return { version: 1, partitions };
}

/** The current assignment in the same format, to keep for a rollback. */
export function currentAssignment(topics: readonly TopicLayout[]): ReassignmentJson {
  return {
    version: 1,
    partitions: topics.flatMap((t) =>
      t.partitions.map((replicas, partition) => ({
        topic: t.topic,
        partition,
        replicas: [...replicas],
        log_dirs: replicas.map(() => 'any'),
      })),
    ),
  };
}

/** Brokers ordered rack by rack in turn (racks and brokers sorted), as Kafka's getRackAlternatedBrokerList. */
function rackAlternated(brokers: readonly PlanBroker[]): PlanBroker[] {
  const byRack = new Map<string, PlanBroker[]>();
  for (const b of [...brokers].sort((x, y) => x.id - y.id)) {
    const rack = b.rack ?? '';
    byRack.set(rack, [...(byRack.get(rack) ?? []), b]);
  }
  const racks = [...byRack.keys()].sort().map((r) => byRack.get(r) ?? []);
  const out: PlanBroker[] = [];
  for (let i = 0; out.length < brokers.length; i++) {
    for (const rack of racks) {
      const b = rack[i];
      if (b !== undefined) out.push(b);
    }
  }
  return out;
}

function replicaIndex(first: number, shift: number, j: number, n: number): number {
  return (first + 1 + ((shift + j) % (n - 1))) % n;
}

function assign(
  partitionCount: number,
  rf: number,
  arranged: readonly PlanBroker[],
  startIndex: number,
  rackAware: boolean,
): number[][] {
  const n = arranged.length;
  const racks = new Set(arranged.map((b) => b.rack));
  const out: number[][] = [];
  let shift = startIndex;
  for (let p = 0; p < partitionCount; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + startIndex) % n;
    const leader = arranged[first] as PlanBroker;
    const replicas = [leader.id];
    const usedRacks = new Set([leader.rack]);
    for (let j = 0, k = 0; j < rf - 1; j++) {
      for (;;) {
        const b = arranged[replicaIndex(first, rackAware ? shift * racks.size : shift, k++, n)] as PlanBroker;
        const rackOk = !rackAware || !usedRacks.has(b.rack) || usedRacks.size === racks.size;
        if (rackOk && !replicas.includes(b.id)) {
          replicas.push(b.id);
          usedRacks.add(b.rack);
          break;
        }
      }
    }
    out.push(replicas);
  }
  return out;
}

/** Kafka's reassignment JSON from a request body, checked before the cluster is asked. */
export function parseReassignmentJson(body: unknown): ReassignmentEntry[] {
  const json = body as { version?: unknown; partitions?: unknown } | null;
  if (typeof json !== 'object' || json === null || json.version !== 1 || !Array.isArray(json.partitions)) {
    throw new HttpError(400, 'expected reassignment JSON: { "version": 1, "partitions": [...] }');
  }
  if (json.partitions.length === 0) throw new HttpError(400, 'the plan has no partitions');
  const seen = new Set<string>();
  return json.partitions.map((raw: unknown) => {
    const e = raw as Partial<Record<keyof ReassignmentEntry, unknown>> | null;
    const where = JSON.stringify(raw);
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.topic !== 'string' ||
      !/^[a-zA-Z0-9._-]{1,249}$/.test(e.topic)
    ) {
      throw new HttpError(400, `invalid topic in ${where}`);
    }
    if (!Number.isSafeInteger(e.partition) || (e.partition as number) < 0) {
      throw new HttpError(400, `invalid partition in ${where}`);
    }
    const replicas = e.replicas;
    if (
      !Array.isArray(replicas) ||
      replicas.length === 0 ||
      replicas.some((r) => !Number.isSafeInteger(r) || r < 0) ||
      new Set(replicas).size !== replicas.length
    ) {
      throw new HttpError(400, `invalid replicas in ${where}: distinct broker ids`);
    }
    const key = `${e.topic}-${e.partition}`;
    if (seen.has(key)) throw new HttpError(400, `partition ${key} is listed twice`);
    seen.add(key);
    return {
      topic: e.topic,
      partition: e.partition as number,
      replicas: replicas as number[],
      log_dirs: (replicas as number[]).map(() => 'any'),
    };
  });
}
