import type { Topology } from './topology.js';

/** One node of a described topology (Java's `TopologyDescription.Node`). */
export interface NodeDescription {
  readonly type: 'Source' | 'Processor' | 'Sink';
  readonly name: string;
  readonly topics?: readonly string[];
  readonly topic?: string;
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
      return `Sink: ${node.name} (topic: ${node.topic})\n      <-- ${names(node.predecessors)}`;
  }
}

export function describeTopology(topology: Topology): TopologyDescription {
  const size = new Map<string, number>();
  const sizeOf = (name: string): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    let total = 1;
    for (const child of topology.childrenOf(name)) total += sizeOf(child);
    size.set(name, total);
    return total;
  };
  const order = (a: string, b: string) => sizeOf(b) - sizeOf(a) || (a < b ? -1 : a > b ? 1 : 0);
  const subs = topology.subtopologies().map((sub) => ({
    id: sub.id,
    ...(sub.global === true ? { global: true } : {}),
    nodes: [...sub.nodes].sort(order).map((name): NodeDescription => {
      const node = topology.node(name);
      if (node === undefined) throw new Error(`unknown node ${name}`);
      const successors = topology.childrenOf(name).sort(order);
      const predecessors = node.kind === 'source' ? [] : [...node.parents].sort(order);
      if (node.kind === 'source') return { type: 'Source', name, topics: node.topics, predecessors, successors };
      if (node.kind === 'sink') return { type: 'Sink', name, topic: node.topic, predecessors, successors };
      return { type: 'Processor', name, stores: javaHashSetOrder(node.stores), predecessors, successors };
    }),
  }));
  return new TopologyDescription(subs);
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
