import type { Admin, PartitionReassignment } from '@samsa/client';
import type { CommandIo } from '../../support/command-io.js';
import { type PartitionTarget, partitionName } from './reassignment-json.js';

/**
 * Replication throttles around a reassignment, as Kafka's tool sets them (KIP-73 applied to
 * KIP-455): on each moving partition's topic, `leader.replication.throttled.replicas` lists the
 * replicas data is copied from (`partition:broker`) and `follower.replication.throttled.replicas`
 * those it is copied to; every broker on either side gets `leader.replication.throttled.rate` and
 * `follower.replication.throttled.rate` (and `--replica-alter-log-dirs-throttle` sets
 * `replica.alter.log.dirs.io.max.bytes.per.second` on brokers moving replicas between their log
 * dirs). `--verify` (once nothing is moving) and `--cancel` remove them all again, on every
 * broker, because by then the tool no longer knows which ones it set.
 */

export const TOPIC_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];

/** The throttle of moves between a broker's log directories (`--replica-alter-log-dirs-throttle`). */
export const LOG_DIR_THROTTLE = 'replica.alter.log.dirs.io.max.bytes.per.second';

/** The broker-level throttles `--verify` and `--cancel` remove, as Kafka's `clearBrokerLevelThrottles`. */
export const BROKER_THROTTLES = [
  'leader.replication.throttled.rate',
  'follower.replication.throttled.rate',
  LOG_DIR_THROTTLE,
];

/** Where one partition's data moves: from the replicas it has to the ones it gains. */
export interface PartitionMove {
  readonly sources: ReadonlySet<number>;
  readonly destinations: ReadonlySet<number>;
}

/** Moves by topic, then by partition. */
export type MoveMap = Map<string, Map<number, PartitionMove>>;

function movesOf(map: MoveMap, topic: string): Map<number, PartitionMove> {
  let moves = map.get(topic);
  if (moves === undefined) {
    moves = new Map();
    map.set(topic, moves);
  }
  return moves;
}

/**
 * Kafka's `calculateProposedMoveMap`: the moves already under way (their sources are the replicas
 * not being added), with the proposed targets on top. A partition already moving keeps its
 * sources, so resubmitting a reassignment with `--additional` changes its destinations only.
 */
export function proposedMoveMap(
  current: readonly PartitionReassignment[],
  proposed: readonly PartitionTarget[],
  currentReplicas: readonly PartitionTarget[],
): MoveMap {
  const map: MoveMap = new Map();
  for (const r of current) {
    const adding = new Set(r.addingReplicas);
    movesOf(map, r.topic).set(r.partition, {
      sources: new Set(r.replicas.filter((b) => !adding.has(b))),
      destinations: adding,
    });
  }
  const replicasOf = new Map(currentReplicas.map((p) => [partitionName(p), p.replicas]));
  for (const p of proposed) {
    const moves = movesOf(map, p.topic);
    const from = moves.get(p.partition)?.sources ?? replicasOf.get(partitionName(p));
    if (from === undefined) throw new Error(`Trying to reassign a topic partition ${partitionName(p)} with 0 replicas`);
    const sources = new Set(from);
    moves.set(p.partition, { sources, destinations: new Set(p.replicas.filter((b) => !sources.has(b))) });
  }
  return map;
}

/** `partition:broker` entries sorted as strings, as Kafka's TreeSet<String> orders them. */
function throttleValue(entries: Iterable<string>): string {
  return [...new Set(entries)].sort().join(',');
}

/** Per topic, `leader.replication.throttled.replicas`: every source replica of every move. */
export function leaderThrottles(moves: MoveMap): Map<string, string> {
  return new Map(
    [...moves].map(([topic, partitions]) => [
      topic,
      throttleValue([...partitions].flatMap(([p, m]) => [...m.sources].map((b) => `${p}:${b}`))),
    ]),
  );
}

/** Per topic, `follower.replication.throttled.replicas`: every destination that is not a source. */
export function followerThrottles(moves: MoveMap): Map<string, string> {
  return new Map(
    [...moves].map(([topic, partitions]) => [
      topic,
      throttleValue(
        [...partitions].flatMap(([p, m]) =>
          [...m.destinations].filter((b) => !m.sources.has(b)).map((b) => `${p}:${b}`),
        ),
      ),
    ]),
  );
}

/** Every broker a move copies from or to, in id order. */
export function reassigningBrokers(moves: MoveMap): number[] {
  const brokers = new Set<number>();
  for (const partitions of moves.values()) {
    for (const m of partitions.values()) for (const b of [...m.sources, ...m.destinations]) brokers.add(b);
  }
  return [...brokers].sort((a, b) => a - b);
}

/** `--throttle`: the topic lists, then the rate on each broker involved. */
export async function setReassignmentThrottles(
  admin: Admin,
  moves: MoveMap,
  rateBytesPerSec: bigint,
  io: CommandIo,
): Promise<void> {
  const leaders = leaderThrottles(moves);
  const followers = followerThrottles(moves);
  await admin.incrementalAlterConfigs(
    [...moves.keys()].sort().map((topic) => ({
      type: 'topic' as const,
      name: topic,
      ops: [
        { name: TOPIC_THROTTLES[0] as string, op: 'set' as const, value: leaders.get(topic) ?? '' },
        { name: TOPIC_THROTTLES[1] as string, op: 'set' as const, value: followers.get(topic) ?? '' },
      ],
    })),
  );
  await admin.incrementalAlterConfigs(
    reassigningBrokers(moves).map((broker) => ({
      type: 'broker' as const,
      name: String(broker),
      ops: BROKER_THROTTLES.map((name) => ({ name, op: 'set' as const, value: String(rateBytesPerSec) })),
    })),
  );
  io.stdout.write(`The inter-broker throttle limit was set to ${rateBytesPerSec} B/s\n`);
}

const plural = (n: number) => (n === 1 ? '' : 's');

/**
 * Kafka's `clearAllThrottles`: the rates on every broker of the cluster (and any the targets name),
 * the replica lists on every topic of the targets.
 */
export async function clearAllThrottles(
  admin: Admin,
  targets: readonly PartitionTarget[],
  io: CommandIo,
): Promise<void> {
  const live = (await admin.describeCluster()).brokers.map((b) => b.nodeId);
  const brokers = [...new Set([...live, ...targets.flatMap((t) => t.replicas)])].sort((a, b) => a - b);
  io.stdout.write(`Clearing broker-level throttles on broker${plural(brokers.length)} ${brokers.join(',')}\n`);
  // A broker that is not in the cluster cannot be asked; its dynamic config goes with it.
  await admin.incrementalAlterConfigs(
    brokers
      .filter((b) => live.includes(b))
      .map((broker) => ({
        type: 'broker' as const,
        name: String(broker),
        ops: BROKER_THROTTLES.map((name) => ({ name, op: 'delete' as const })),
      })),
  );
  const topics = [...new Set(targets.map((t) => t.topic))].sort();
  io.stdout.write(`Clearing topic-level throttles on topic${plural(topics.length)} ${topics.join(',')}\n`);
  await admin.incrementalAlterConfigs(
    topics.map((topic) => ({
      type: 'topic' as const,
      name: topic,
      ops: TOPIC_THROTTLES.map((name) => ({ name, op: 'delete' as const })),
    })),
  );
}
