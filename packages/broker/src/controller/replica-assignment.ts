import { ErrorCode, KafkaError } from '@samsa/protocol';

/** A broker as replica placement sees it. */
export interface PlacementBroker {
  readonly brokerId: number;
  readonly rack: string | null;
}

export interface AssignmentOptions {
  /** First partition id to place (partition additions continue the pattern); default 0. */
  readonly startPartitionId?: number;
  /** Kafka's fixedStartIndex: ≥ 0 fixes the first leader and the shift (tests, tools); default random. */
  readonly fixedStartIndex?: number;
  readonly random?: () => number;
}

/**
 * Kafka's replica placement (`AdminUtils.assignReplicasToBrokers`): rack-aware when every broker
 * has a `broker.rack`, rack-unaware when none has; with racks on only some brokers, rack
 * awareness is dropped (Kafka's RackAwareMode.Safe). Returns replicas by partition, starting at
 * `startPartitionId`. Given the same brokers and start index, placement is the same as Kafka's.
 */
export function assignReplicas(
  numPartitions: number,
  replicationFactor: number,
  brokers: readonly PlacementBroker[],
  options: AssignmentOptions = {},
): number[][] {
  if (replicationFactor <= 0) {
    throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
  }
  if (replicationFactor > brokers.length) {
    throw new KafkaError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${brokers.length} broker(s) are registered.`,
    );
  }
  const withRack = brokers.filter((b) => b.rack !== null);
  if (withRack.length === brokers.length && brokers.length > 0) {
    return assignRackAware(numPartitions, replicationFactor, brokers, options);
  }
  return assignRackUnaware(
    numPartitions,
    replicationFactor,
    brokers.map((b) => b.brokerId),
    options,
  );
}

/**
 * Rack-unaware placement (`assignReplicasToBrokersRackUnaware`): leaders go round-robin over the
 * brokers from a start index; followers follow the leader with a shift that grows every time the
 * brokers wrap, so replicas spread evenly.
 */
export function assignRackUnaware(
  numPartitions: number,
  replicationFactor: number,
  brokerIds: readonly number[],
  options: AssignmentOptions = {},
): number[][] {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  const random = options.random ?? Math.random;
  const fixed = options.fixedStartIndex ?? -1;
  const startIndex = fixed >= 0 ? fixed : Math.floor(random() * n);
  let nextReplicaShift = fixed >= 0 ? fixed : Math.floor(random() * n);
  let currentPartitionId = Math.max(0, options.startPartitionId ?? 0);
  const assignment: number[][] = [];
  for (let i = 0; i < numPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const replicas = [brokers[firstReplicaIndex] as number];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)] as number);
    }
    assignment.push(replicas);
    currentPartitionId += 1;
  }
  return assignment;
}

/**
 * Rack-aware placement (`assignReplicasToBrokersRackAware`): brokers are listed alternating racks,
 * leaders round-robin over that list, and each follower is the next broker (by the same shifting
 * pattern) whose rack has no replica yet — until every rack has one, after which any broker
 * without a replica will do.
 */
export function assignRackAware(
  numPartitions: number,
  replicationFactor: number,
  brokers: readonly PlacementBroker[],
  options: AssignmentOptions = {},
): number[][] {
  const rackOf = new Map(brokers.map((b) => [b.brokerId, b.rack as string]));
  const numRacks = new Set(rackOf.values()).size;
  const arranged = rackAlternatedBrokerList(rackOf);
  const n = arranged.length;
  const random = options.random ?? Math.random;
  const fixed = options.fixedStartIndex ?? -1;
  const startIndex = fixed >= 0 ? fixed : Math.floor(random() * n);
  let nextReplicaShift = fixed >= 0 ? fixed : Math.floor(random() * n);
  let currentPartitionId = Math.max(0, options.startPartitionId ?? 0);
  const assignment: number[][] = [];
  for (let i = 0; i < numPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const leader = arranged[firstReplicaIndex] as number;
    const replicas = [leader];
    const racksWithReplicas = new Set([rackOf.get(leader)]);
    const brokersWithReplicas = new Set([leader]);
    let k = 0;
    for (let j = 0; j < replicationFactor - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * numRacks, k, n)] as number;
        const rack = rackOf.get(broker);
        k += 1;
        const rackFree = !racksWithReplicas.has(rack) || racksWithReplicas.size === numRacks;
        const brokerFree = !brokersWithReplicas.has(broker) || brokersWithReplicas.size === n;
        if (rackFree && brokerFree) {
          replicas.push(broker);
          racksWithReplicas.add(rack);
          brokersWithReplicas.add(broker);
          break;
        }
      }
    }
    assignment.push(replicas);
    currentPartitionId += 1;
  }
  return assignment;
}

/** Brokers ordered rack by rack in turn (racks sorted, brokers sorted within their rack). */
export function rackAlternatedBrokerList(rackOf: ReadonlyMap<number, string>): number[] {
  const byRack = new Map<string, number[]>();
  for (const [id, rack] of rackOf) {
    let list = byRack.get(rack);
    if (list === undefined) {
      list = [];
      byRack.set(rack, list);
    }
    list.push(id);
  }
  const racks = [...byRack.keys()].sort();
  const iterators = racks.map((rack) => (byRack.get(rack) as number[]).sort((a, b) => a - b)[Symbol.iterator]());
  const result: number[] = [];
  let rackIndex = 0;
  while (result.length < rackOf.size) {
    const next = (iterators[rackIndex] as Iterator<number>).next();
    if (next.done !== true) result.push(next.value);
    rackIndex = (rackIndex + 1) % racks.length;
  }
  return result;
}

function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, replicaIndex: number, n: number): number {
  const shift = 1 + ((secondReplicaShift + replicaIndex) % (n - 1));
  return (firstReplicaIndex + shift) % n;
}
