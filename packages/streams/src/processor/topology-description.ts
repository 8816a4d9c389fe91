import { describeExtractor } from './topic-name-extractor.js';
import type { Topology } from './topology.js';

/** One node of a described topology (Java's `TopologyDescription.Node`). */
export interface NodeDescription {
  readonly type: 'Source' | 'Processor' | 'Sink';
  readonly name: string;
  readonly topics?: readonly string[];
  readonly topic?: string;
  /** A sink's `TopicNameExtractor`, as Java's describe() names it (here the function or class name). */
  readonly topicExtractor?: string;
  readonly stores?: readonly string[];
  readonly predecessors: readonly string[];
  readonly successors: readonly string[];
}

export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
  /** A global store (Java's `TopologyDescription.GlobalStore`): a source and its processor. */
  readonly global?: boolean;
}

/**
 * Kafka Streams' `TopologyDescription`. `toString()` prints exactly Java's text, which users
 * paste into tickets and tools (kafka-streams-viz) parse: nodes of a sub-topology, and each
 * node's successors and predecessors, ordered by the size of the sub-tree below them (largest
 * first), then by name — Java's node comparator.
 */
export class TopologyDescription {
  constructor(private readonly subs: readonly SubtopologyDescription[]) {}

  subtopologies(): readonly SubtopologyDescription[] {
    return this.subs;
  }

  toString(): string {
    let out = 'Topologies:\n ';
    for (const sub of this.subs) {
      if (sub.global === true) {
        // Java prints a global store without the blank line that ends a sub-topology.
        out += `  Sub-topology: ${sub.id} for global store (will not generate tasks)\n`;
        for (const node of sub.nodes) out += `    ${nodeToString(node)}\n`;
        continue;
      }
      out += `  Sub-topology: ${sub.id}\n`;
      for (const node of sub.nodes) out += `    ${nodeToString(node)}\n`;
      out += '\n';
    }
    return out;
  }
}

function names(list: readonly string[]): string {
  return list.length === 0 ? 'none' : list.join(', ');
}

function nodeToString(node: NodeDescription): string {
  switch (node.type) {
    case 'Source':
      return `Source: ${node.name} (topics: [${(node.topics ?? []).join(', ')}])\n      --> ${names(node.successors)}`;
    case 'Processor':
      return (
        `Processor: ${node.name} (stores: [${(node.stores ?? []).join(', ')}])\n` +
        `      --> ${names(node.successors)}\n      <-- ${names(node.predecessors)}`
      );
    case 'Sink':
      return node.topicExtractor !== undefined
        ? `Sink: ${node.name} (extractor class: ${node.topicExtractor})\n      <-- ${names(node.predecessors)}`
        : `Sink: ${node.name} (topic: ${node.topic})\n      <-- ${names(node.predecessors)}`;
  }
}

export function describeTopology(topology: Topology): TopologyDescription {
  const subs = topology.subtopologies().map((sub) => {
    const links = linkAsJava(topology, sub.nodes);
    const order = (a: string, b: string) => links.size(b) - links.size(a) || (a < b ? -1 : a > b ? 1 : 0);
    return {
      id: sub.id,
      ...(sub.global === true ? { global: true } : {}),
      nodes: [...sub.nodes].sort(order).map((name): NodeDescription => {
        const node = topology.node(name);
        if (node === undefined) throw new Error(`unknown node ${name}`);
        const successors = links.successors(name);
        const predecessors = links.predecessors(name);
        if (node.kind === 'source') return { type: 'Source', name, topics: node.topics, predecessors, successors };
        if (node.kind === 'sink')
          return node.topicExtractor !== undefined
            ? { type: 'Sink', name, topicExtractor: describeExtractor(node.topicExtractor), predecessors, successors }
            : { type: 'Sink', name, topic: node.topic ?? '', predecessors, successors };
        return { type: 'Processor', name, stores: javaHashSetOrder(node.stores), predecessors, successors };
      }),
    };
  });
  return new TopologyDescription(subs);
}

/**
 * Replays how Java's `describeSubtopology` links nodes, because the printed order of a node's
 * predecessors and successors depends on it: nodes are visited in HashMap order, each edge is
 * added to `TreeSet`s ordered by sub-tree size *at that moment* (then name), and sizes grow as
 * edges are added (`updateSize` up the predecessors known so far). So a merge node lists
 * `KSTREAM-JOINTHIS-…` before `KSTREAM-JOINOTHER-…`, as Java prints it. The node list itself is
 * sorted once, with the final sizes.
 */
function linkAsJava(topology: Topology, nodes: readonly string[]) {
  const size = new Map<string, number>(nodes.map((n) => [n, 1]));
  const preds = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const succs = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const sizeOf = (n: string) => size.get(n) ?? 1;
  const insert = (list: string[], name: string) => {
    if (list.includes(name)) return;
    const before = (a: string, b: string) => sizeOf(b) - sizeOf(a) || (a < b ? -1 : a > b ? 1 : 0);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(list[mid] as string, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, name);
  };
  const updateSize = (n: string, delta: number) => {
    size.set(n, sizeOf(n) + delta);
    for (const p of preds.get(n) ?? []) updateSize(p, delta);
  };
  for (const name of javaHashSetOrder(nodes)) {
    const node = topology.node(name);
    if (node === undefined || node.kind === 'source') continue;
    for (const parent of node.parents) {
      if (!size.has(parent)) continue;
      insert(preds.get(name) as string[], parent);
      insert(succs.get(parent) as string[], name);
      updateSize(parent, sizeOf(name));
    }
  }
  return {
    size: sizeOf,
    predecessors: (n: string) => preds.get(n) ?? [],
    successors: (n: string) => succs.get(n) ?? [],
  };
}

/** Java's `String.hashCode` (UTF-16 code units, 32-bit overflow). */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a `java.util.HashSet` holding `names` added in this order: Java keeps a
 * processor's store names in a HashSet and prints them in its order, so a processor with two
 * stores lists them by hash bucket, not alphabetically. Buckets are `(h ^ h >>> 16) & (capacity
 * - 1)` with the capacity doubling from 16 past a 0.75 load; a bucket keeps insertion order.
 */
export function javaHashSetOrder(names: readonly string[]): string[] {
  let capacity = 16;
  while (names.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string) => {
    const h = javaStringHash(s);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return names
    .map((name, i) => ({ name, i, b: bucket(name) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.name);
}
