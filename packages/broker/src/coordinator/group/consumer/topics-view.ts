/** What the consumer group logic needs of the cluster's topics: a snapshot taken per request. */
export interface TopicsView {
  topic(name: string): { readonly topicId: string; readonly numPartitions: number } | undefined;
  topicName(topicId: string): string | undefined;
  /** Every topic name, internal topics included (regex subscriptions leave those out). */
  topicNames(): Iterable<string>;
}

/** Topics no regex subscription matches, as Kafka leaves internal topics out. */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

/**
 * Compiles a KIP-848 subscription regex. Kafka uses RE2/J and matches whole topic names; this
 * uses JavaScript's RegExp anchored at both ends, which accepts a superset of RE2 syntax
 * (backreferences, lookarounds) and differs on a few constructs (`\Q…\E`, possessive quantifiers,
 * inline flags other than those JS knows). Returns undefined for an invalid pattern.
 */
export function compileTopicRegex(regex: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    return undefined;
  }
}

export function topicsMatching(view: TopicsView, regex: string): string[] {
  const compiled = compileTopicRegex(regex);
  if (compiled === undefined) return [];
  return [...view.topicNames()].filter((name) => !INTERNAL_TOPICS.has(name) && compiled.test(name)).sort();
}
