import type { ParsedOptions } from '../../options/option-parser.js';
import type { CommandIo } from '../../support/command-io.js';

/**
 * The five actions of `kafka-topics.sh`, as Kafka 2.x's TopicCommand split them: one
 * implementation talks to a broker (`--bootstrap-server`, AdminClientTopicService), the other
 * writes ZooKeeper directly (`--zookeeper`, ZookeeperTopicService). Each reads the parsed, checked
 * command line and prints what Kafka prints.
 */
export interface TopicService {
  createTopic(options: ParsedOptions, io: CommandIo): Promise<void>;
  listTopics(options: ParsedOptions, io: CommandIo): Promise<void>;
  describeTopics(options: ParsedOptions, io: CommandIo): Promise<void>;
  alterTopic(options: ParsedOptions, io: CommandIo): Promise<void>;
  deleteTopics(options: ParsedOptions, io: CommandIo): Promise<void>;
  close(): Promise<void>;
}

/** The `--describe` filters given on the command line. */
export function describeFilters(options: ParsedOptions) {
  return {
    underReplicated: options.has('under-replicated-partitions'),
    unavailable: options.has('unavailable-partitions'),
    underMinIsr: options.has('under-min-isr-partitions'),
    atMinIsr: options.has('at-min-isr-partitions'),
    withOverrides: options.has('topics-with-overrides'),
  };
}
