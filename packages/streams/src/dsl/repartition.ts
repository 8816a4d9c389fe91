import type { StreamPartitioner } from '../processor/topology-nodes.js';
import type { Serde } from '../serde/serde.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';

/**
 * Sends a stream through `<application.id>-<prefix>-repartition` and returns the name of the
 * source reading it back, so records are partitioned by their new key. Java's three nodes: a
 * filter (which, as in Java 3.x, lets every record through: aggregations and tables skip null
 * keys themselves), a sink and a source. The three names
 * are always drawn from the counter (Java does, to keep later names stable) but used only when
 * the prefix is itself generated; a user-chosen prefix names them `<topic>-filter|sink|source`.
 */
export function createRepartitionedSource(
  builder: InternalStreamsBuilder,
  keySerde: Serde<unknown> | undefined,
  valueSerde: Serde<unknown> | undefined,
  repartitionTopicNamePrefix: string,
  parentName: string,
  options: { partitioner?: StreamPartitioner<unknown, unknown>; numberOfPartitions?: number } = {},
): string {
  const topic = repartitionTopicNamePrefix.endsWith('-repartition')
    ? repartitionTopicNamePrefix
    : `${repartitionTopicNamePrefix}-repartition`;
  const genSink = builder.newProcessorName('KSTREAM-SINK-');
  const genFilter = builder.newProcessorName('KSTREAM-FILTER-');
  const genSource = builder.newProcessorName('KSTREAM-SOURCE-');
  const generated = /^KSTREAM.*-[0-9]{10}$/.test(repartitionTopicNamePrefix);
  const sinkName = generated ? genSink : `${topic}-sink`;
  const filterName = generated ? genFilter : `${topic}-filter`;
  const sourceName = generated ? genSource : `${topic}-source`;
  const topology = builder.topology;
  builder.addStatelessProcessor(filterName, [parentName], (r, c) => c.forward(r));
  topology.addSinkNode(sinkName, topic, keySerde?.serializer(), valueSerde?.serializer(), options.partitioner, [
    filterName,
  ]);
  topology.addSourceNode(sourceName, [topic], keySerde?.deserializer(), valueSerde?.deserializer());
  topology.addInternalTopic(topic, options.numberOfPartitions);
  return sourceName;
}
