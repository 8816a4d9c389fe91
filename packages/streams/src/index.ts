export { Branched } from './dsl/branched.js';
export { BranchedKStream } from './dsl/branched-kstream.js';
export { Change } from './dsl/change.js';
export { CogroupedKStream, TimeWindowedCogroupedKStream } from './dsl/cogrouped-kstream.js';
export { Consumed } from './dsl/consumed.js';
export { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, EmitStrategy, StrategyType } from './dsl/emit-strategy.js';
export { GlobalKTable } from './dsl/global-ktable.js';
export { Grouped } from './dsl/grouped.js';
export { JoinWindows } from './dsl/join-windows.js';
export { Joined } from './dsl/joined.js';
export { type Aggregator, type Initializer, KGroupedStream, type Reducer } from './dsl/kgrouped-stream.js';
export { KGroupedTable } from './dsl/kgrouped-table.js';
export { type ForeachAction, type KeyValueMapper, KStream, type Predicate, type ValueMapper } from './dsl/kstream.js';
export { KTable } from './dsl/ktable.js';
export { Materialized } from './dsl/materialized.js';
export { Named } from './dsl/named.js';
export { Printed } from './dsl/printed.js';
export { Produced } from './dsl/produced.js';
export { Repartitioned } from './dsl/repartitioned.js';
export { type Merger, SessionWindowedKStream } from './dsl/session-windowed-kstream.js';
export { SessionWindow, SessionWindows } from './dsl/session-windows.js';
export { SlidingWindowedKStream } from './dsl/sliding-windowed-kstream.js';
export { SlidingWindows } from './dsl/sliding-windows.js';
export { StreamJoined } from './dsl/stream-joined.js';
export { StreamsBuilder } from './dsl/streams-builder.js';
export { BufferConfig, Suppressed } from './dsl/suppressed.js';
export { TimeWindowedKStream } from './dsl/time-windowed-kstream.js';
export { TimeWindow, TimeWindows, Windowed } from './dsl/time-windows.js';
export type { ValueJoiner } from './dsl/value-joiner.js';
export {
  type DeserializationExceptionHandler,
  DeserializationHandlerResponse,
  type ErrorHandlerContext,
  LogAndContinueExceptionHandler,
  LogAndFailExceptionHandler,
  type RawRecord,
} from './errors/deserialization-exception-handler.js';
export {
  LogAndContinueProcessingExceptionHandler,
  LogAndFailProcessingExceptionHandler,
  type ProcessingErrorContext,
  type ProcessingExceptionHandler,
  ProcessingHandlerResponse,
} from './errors/processing-exception-handler.js';
export {
  DefaultProductionExceptionHandler,
  type ProducedRecord,
  type ProductionErrorContext,
  type ProductionExceptionHandler,
  ProductionExceptionHandlerResponse,
} from './errors/production-exception-handler.js';
export type { Processor, ProcessorSupplier } from './processor/processor.js';
export type { ProcessorContext, RecordMetadata } from './processor/processor-context.js';
export { type Cancellable, PunctuationType, type Punctuator } from './processor/punctuation-type.js';
export { Record } from './processor/record.js';
export { TaskId } from './processor/task-id.js';
export {
  ConsumerRecord,
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  type TimestampExtractor,
  UsePartitionTimeOnInvalidTimestamp,
  WallclockTimestampExtractor,
} from './processor/timestamp-extractor.js';
export type { RecordContext, TopicNameExtractor } from './processor/topic-name-extractor.js';
export { Topology } from './processor/topology.js';
export {
  type NodeDescription,
  type SubtopologyDescription,
  TopologyDescription,
} from './processor/topology-description.js';
export { StreamsException, TopologyException } from './processor/topology-exception.js';
export type { StreamPartitioner } from './processor/topology-nodes.js';
export { HostInfo } from './runtime/host-info.js';
export { KafkaStreams } from './runtime/kafka-streams.js';
export { State as KafkaStreamsState, type StateListener } from './runtime/kafka-streams-state.js';
export { OffsetCheckpoint } from './runtime/offset-checkpoint.js';
export type { StateRestoreListener } from './runtime/state-restore-listener.js';
export {
  type StreamsUncaughtExceptionHandler,
  StreamThreadExceptionResponse,
} from './runtime/stream-thread-exception-handler.js';
export { KeyQueryMetadata, StreamsMetadata } from './runtime/streams-metadata.js';
export type { StreamsMetric } from './runtime/streams-metric.js';
export { Bytes } from './serde/bytes.js';
export { type Deserializer, type Serde, SerializationException, type Serializer } from './serde/serde.js';
export { Serdes } from './serde/serdes.js';
export { WindowedSerdes } from './serde/windowed-serdes.js';
export type { WindowBytesStoreSupplier } from './state/join-window-store.js';
export { KeyValue } from './state/key-value.js';
export { KeyValueIterator } from './state/key-value-iterator.js';
export { KeyValueStore } from './state/key-value-store.js';
export {
  InvalidStateStoreException,
  type QueryableStoreType,
  QueryableStoreTypes,
  ReadOnlyKeyValueStore,
  StoreQueryParameters,
} from './state/queryable-store-types.js';
export { ReadOnlySessionStore } from './state/read-only-session-store.js';
export { ReadOnlyWindowStore } from './state/read-only-window-store.js';
export { SessionStore } from './state/session-store.js';
export type { StateStore } from './state/state-store.js';
export { type KeyValueBytesStoreSupplier, KeyValueStoreBuilder, Stores } from './state/stores.js';
export { TimestampedWindowStore } from './state/timestamped-window-store.js';
export { ValueAndTimestamp } from './state/value-and-timestamp.js';
export { WindowStore } from './state/window-store.js';
export { ConfigException, ProcessingGuarantee, StreamsConfig, type StreamsConfigInput } from './streams-config.js';
export { TestInputTopic } from './test-utils/test-input-topic.js';
export { TestOutputTopic } from './test-utils/test-output-topic.js';
export { TestRecord } from './test-utils/test-record.js';
export { TopologyTestDriver } from './test-utils/topology-test-driver.js';
