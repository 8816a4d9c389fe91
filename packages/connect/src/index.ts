export {
  ConfigDef,
  ConfigException,
  type ConfigKey,
  type ConfigKeyInput,
  ConfigType,
  type ConfigValue,
  Importance,
  NO_DEFAULT_VALUE,
  Password,
  type Validator,
  Validators,
  Width,
} from './config/config-def.js';
export { type DistributedWorker, runDistributed, startDistributed } from './connect-distributed.js';
export { runStandalone, type StandaloneWorker, startStandalone } from './connect-standalone.js';
export type { ConnectHeader, SinkOffsets, SinkRecord, SourceRecord } from './connector/connect-record.js';
export {
  Connector,
  type ConnectorContext,
  type OffsetStorageReader,
  type Props,
  SinkConnector,
  SinkTask,
  type SinkTaskContext,
  SourceConnector,
  SourceTask,
  type SourceTaskContext,
  type Task,
} from './connector/connector.js';
export { ByteArrayConverter } from './converters/byte-array-converter.js';
export type { Converter } from './converters/converter.js';
export { CONVERTER_CLASSES, createConverter } from './converters/converters.js';
export { asJsonSchema, type DecimalFormat, JsonConverter } from './converters/json-converter.js';
export { StringConverter } from './converters/string-converter.js';
export { BigDecimal } from './data/big-decimal.js';
export { Decimal } from './data/decimal.js';
export {
  DataException,
  type Field,
  fromPhysical,
  LogicalTypes,
  Schema,
  type SchemaAndValue,
  SchemaBuilder,
  SchemaType,
  Struct,
  toPhysical,
} from './data/schema.js';
export { convertToString } from './data/values.js';
export {
  type ConnectProtocolName,
  DISTRIBUTED_CONFIG_DEF,
  type DistributedConfig,
  parseDistributedConfig,
} from './distributed/distributed-config.js';
export { DistributedHerder } from './distributed/distributed-herder.js';
export { FileStreamSinkConnector } from './file/file-stream-sink-connector.js';
export { FileStreamSinkTask } from './file/file-stream-sink-task.js';
export { FileStreamSourceConnector } from './file/file-stream-source-connector.js';
export { FileStreamSourceTask } from './file/file-stream-source-task.js';
export { ConnectRestServer } from './rest/connect-rest-server.js';
export { ConnectRestException } from './runtime/connect-errors.js';
export {
  DeadLetterQueue,
  type ErrorHandlingConfig,
  ErrorReporter,
  errorHandlingConfig,
  isRetriable,
  RetriableException,
  ToleranceExceededException,
} from './runtime/error-handling.js';
export { FileOffsetStore } from './runtime/file-offset-store.js';
export type { Herder } from './runtime/herder.js';
export { type ConnectorPlugin, type ConnectorType, Plugins } from './runtime/plugins.js';
export { StandaloneHerder } from './runtime/standalone-herder.js';
export { parseWorkerConfig, WORKER_CONFIG_DEF, type WorkerConfig } from './runtime/worker-config.js';
export { State } from './runtime/worker-task.js';
export { KafkaConfigBackingStore } from './storage/kafka-config-backing-store.js';
export { KafkaOffsetBackingStore } from './storage/kafka-offset-backing-store.js';
export { KafkaStatusBackingStore } from './storage/kafka-status-backing-store.js';
export {
  HasHeaderKey,
  PREDICATES,
  RecordIsTombstone,
  registerPredicate,
  TopicNameMatches,
} from './transforms/predicates.js';
export { SimpleDateFormat } from './transforms/simple-date-format.js';
export type { ConnectRecord, Predicate, Transformation } from './transforms/transformation.js';
export {
  buildTransformationChain,
  TransformationChain,
  TransformationError,
  transformationPlugins,
  validateTransformations,
} from './transforms/transformation-chain.js';
export {
  Cast,
  DropHeaders,
  ExtractField,
  Filter,
  Flatten,
  HeaderFrom,
  HoistField,
  InsertField,
  InsertHeader,
  javaReplacement,
  MaskField,
  RegexRouter,
  ReplaceField,
  registerTransformation,
  SetSchemaMetadata,
  TimestampConverter,
  TimestampRouter,
  TRANSFORMATIONS,
  ValueToKey,
} from './transforms/transforms.js';
export { CONNECT_VERSION } from './version.js';
