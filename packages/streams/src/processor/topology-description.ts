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
    nodes: [...sub.nodes].sort(order).map((name): NodeDescription => {
      const node = topology.node(name);
      if (node === undefined) throw new Error(`unknown node ${name}`);
      const successors = topology.childrenOf(name).sort(order);
      const predecessors = node.kind === 'source' ? [] : [...node.parents].sort(order);
      if (node.kind === 'source') return { type: 'Source', name, topics: node.topics, predecessors, successors };
      if (node.kind === 'sink') return { type: 'Sink', name, topic: node.topic, predecessors, successors };
      return { type: 'Processor', name, stores: [...node.stores].sort(), predecessors, successors };
    }),
  }));
  return new TopologyDescription(subs);
}
