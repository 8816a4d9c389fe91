import type { Branched } from './branched.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import { KStream, type Predicate } from './kstream.js';

/**
 * Kafka Streams' `BranchedKStream` (`KStream.split()`): each record goes to the first branch
 * whose predicate it matches, or to the default branch, or nowhere. Branch nodes are named
 * `<split name><branch name>`, or `<split name><n>` (1, 2, … in order; 0 for the default), and
 * each draws a number from the name counter as Java's does — so a generated split gives Java's
 * `KSTREAM-BRANCH-00000000011` and the names after it stay Java's.
 */
export class BranchedKStream<K, V> {
  private readonly predicates: Predicate<K, V>[] = [];
  private readonly childNames: string[] = [];
  private readonly outputs = new Map<string, KStream<K, V>>();
  private hasDefault = false;

  constructor(
    private readonly source: KStream<K, V>,
    private readonly builder: InternalStreamsBuilder,
    private readonly splitterName: string,
  ) {
    builder.addStatelessProcessor<K, V, K, V>(splitterName, [source.nodeName], (record, context) => {
      const index = this.predicates.findIndex((p) => p(record.key(), record.value()));
      const child = index >= 0 ? this.childNames[index] : this.hasDefault ? this.childNames.at(-1) : undefined;
      if (child !== undefined) context.forward(record, child);
    });
  }

  branch(predicate: Predicate<K, V>, branched?: Branched<K, V>): this {
    if (this.hasDefault) throw new Error('IllegalStateException: no branch can follow the default branch');
    this.predicates.push(predicate);
    this.createBranch(branched, this.predicates.length);
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>> {
    this.hasDefault = true;
    this.createBranch(branched, 0);
    return this.outputs;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.outputs;
  }

  private createBranch(branched: Branched<K, V> | undefined, index: number): void {
    const name = this.splitterName + (branched?.name ?? String(index));
    this.childNames.push(name);
    this.builder.newProcessorName(name);
    this.builder.addStatelessProcessor<K, V, K, V>(name, [this.splitterName], (record, context) =>
      context.forward(record),
    );
    const branch = new KStream<K, V>(
      this.builder,
      name,
      this.source.keySerde,
      this.source.valueSerde,
      this.source.repartitionRequired,
    );
    if (branched?.chainFunction !== undefined) {
      const result = branched.chainFunction(branch);
      if (result !== null && result !== undefined) this.outputs.set(name, result);
    } else if (branched?.chainConsumer !== undefined) {
      branched.chainConsumer(branch);
    } else {
      this.outputs.set(name, branch);
    }
  }
}
