import { ConfigDef, ConfigException, type ConfigValue, Validators } from '../config/config-def.js';
import type { ConnectorType } from './plugins.js';

/** Kafka's ConnectorConfig: the keys every connector has, in the "Common" group. */
export const CONNECTOR_CONFIG_DEF = new ConfigDef()
  .define({
    name: 'name',
    type: 'STRING',
    // Kafka's NonEmptyStringWithoutControlChars
    validator: {
      ensureValid(name, value) {
        if (typeof value !== 'string') return;
        if (value === '') throw new ConfigException(name, value, 'String may not be empty');
        const control = [...value].filter((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
        if (control.length > 0) {
          throw new ConfigException(
            name,
            value,
            `String may not contain control sequences but had the following ASCII chars: ${control.map((c) => c.charCodeAt(0)).join(', ')}`,
          );
        }
      },
      toString: () => 'non-empty string without ISO control characters',
    },
    importance: 'HIGH',
    documentation: 'Globally unique name to use for this connector.',
    group: 'Common',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Connector name',
  })
  .define({
    name: 'connector.class',
    type: 'STRING',
    importance: 'HIGH',
    documentation:
      'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
    group: 'Common',
    orderInGroup: 2,
    width: 'LONG',
    displayName: 'Connector class',
  })
  .define({
    name: 'tasks.max',
    type: 'INT',
    defaultValue: 1,
    validator: Validators.atLeast(1),
    importance: 'HIGH',
    documentation: 'Maximum number of tasks to use for this connector.',
    group: 'Common',
    orderInGroup: 3,
    width: 'SHORT',
    displayName: 'Tasks max',
  })
  .define({
    name: 'key.converter',
    type: 'CLASS',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the keys in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.',
    group: 'Common',
    orderInGroup: 4,
    width: 'SHORT',
    displayName: 'Key converter class',
  })
  .define({
    name: 'value.converter',
    type: 'CLASS',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.',
    group: 'Common',
    orderInGroup: 5,
    width: 'SHORT',
    displayName: 'Value converter class',
  })
  .define({
    name: 'header.converter',
    type: 'CLASS',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.',
    group: 'Common',
    orderInGroup: 6,
    width: 'SHORT',
    displayName: 'Header converter class',
  })
  .define({
    name: 'transforms',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Aliases for the transformations to be applied to records.',
    group: 'Transforms',
    orderInGroup: 1,
    width: 'LONG',
    displayName: 'Transforms',
  })
  .define({
    name: 'predicates',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Aliases for the predicates used by transformations.',
    group: 'Predicates',
    orderInGroup: 1,
    width: 'LONG',
    displayName: 'Predicates',
  })
  .define({
    name: 'errors.retry.timeout',
    type: 'LONG',
    defaultValue: 0,
    importance: 'MEDIUM',
    documentation:
      'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
    group: 'Error Handling',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Retry Timeout for Errors',
  })
  .define({
    name: 'errors.retry.delay.max.ms',
    type: 'LONG',
    defaultValue: 60000,
    importance: 'MEDIUM',
    documentation:
      'The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.',
    group: 'Error Handling',
    orderInGroup: 2,
    width: 'MEDIUM',
    displayName: 'Maximum Delay Between Retries for Errors',
  })
  .define({
    name: 'errors.tolerance',
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.validString('none', 'all'),
    importance: 'MEDIUM',
    documentation:
      "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
    group: 'Error Handling',
    orderInGroup: 3,
    width: 'SHORT',
    displayName: 'Error Tolerance',
  })
  .define({
    name: 'errors.log.enable',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    documentation:
      "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
    group: 'Error Handling',
    orderInGroup: 4,
    width: 'SHORT',
    displayName: 'Log Errors',
  })
  .define({
    name: 'errors.log.include.messages',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    documentation:
      "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
    group: 'Error Handling',
    orderInGroup: 5,
    width: 'SHORT',
    displayName: 'Log Error Details',
  });

export const SINK_CONNECTOR_CONFIG_DEF = CONNECTOR_CONFIG_DEF.merge(
  new ConfigDef()
    .define({
      name: 'topics',
      type: 'LIST',
      defaultValue: '',
      importance: 'HIGH',
      documentation:
        'List of topics to consume, separated by commas. Only one of topics or topics.regex should be specified.',
      group: 'Common',
      orderInGroup: 4,
      width: 'LONG',
      displayName: 'Topics',
    })
    .define({
      name: 'topics.regex',
      type: 'STRING',
      defaultValue: '',
      importance: 'HIGH',
      documentation:
        'Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.',
      group: 'Common',
      orderInGroup: 4,
      width: 'LONG',
      displayName: 'Topics regex',
    })
    .define({
      name: 'errors.deadletterqueue.topic.name',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation:
        'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.',
      group: 'Error Handling',
      orderInGroup: 6,
      width: 'MEDIUM',
      displayName: 'Dead Letter Queue Topic Name',
    })
    .define({
      name: 'errors.deadletterqueue.topic.replication.factor',
      type: 'SHORT',
      defaultValue: 3,
      importance: 'MEDIUM',
      documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
      group: 'Error Handling',
      orderInGroup: 7,
      width: 'MEDIUM',
      displayName: 'Dead Letter Queue Topic Replication Factor',
    })
    .define({
      name: 'errors.deadletterqueue.context.headers.enable',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation:
        'If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>',
      group: 'Error Handling',
      orderInGroup: 8,
      width: 'MEDIUM',
      displayName: 'Enable Error Context Headers',
    }),
);

export function connectorConfigDef(type: ConnectorType | undefined): ConfigDef {
  return type === 'sink' ? SINK_CONNECTOR_CONFIG_DEF : CONNECTOR_CONFIG_DEF;
}

/** Kafka's SinkConnectorConfig.validate: exactly one of topics and topics.regex. */
export function validateSinkTopics(values: Map<string, ConfigValue>, props: Readonly<Record<string, string>>): void {
  const topics = (props.topics ?? '').trim();
  const regex = (props['topics.regex'] ?? '').trim();
  if (topics !== '' && regex !== '') {
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    values.get('topics')?.errors.push(message);
    values.get('topics.regex')?.errors.push(message);
  } else if (topics === '' && regex === '') {
    const message = 'Must configure one of topics or topics.regex';
    values.get('topics')?.errors.push(message);
    values.get('topics.regex')?.errors.push(message);
  }
  const dlq = (props['errors.deadletterqueue.topic.name'] ?? '').trim();
  if (dlq === '') return;
  const dlqErrors = values.get('errors.deadletterqueue.topic.name')?.errors;
  const list = topics === '' ? [] : topics.split(/\s*,\s*/);
  if (list.includes(dlq)) {
    dlqErrors?.push(
      `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=[${list.join(', ')}]') to be consumed.`,
    );
  }
  let matches = false;
  try {
    matches = regex !== '' && new RegExp(`^(?:${regex})$`).test(dlq);
  } catch {
    // an invalid regex is reported by the consumer
  }
  if (matches) {
    dlqErrors?.push(
      `The DLQ topic '${dlq}' may not be included in the regex matching the topics ('topics.regex=${regex}') to be consumed.`,
    );
  }
}
