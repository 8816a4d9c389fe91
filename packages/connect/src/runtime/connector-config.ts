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
    name: 'transforms',
    type: 'LIST',
    defaultValue: '',
    validator: {
      ensureValid(name, value) {
        if ((value as string[]).length > 0) {
          throw new Error(
            `Invalid value ${(value as string[]).join(',')} for configuration ${name}: single message transforms are not supported yet`,
          );
        }
      },
      toString: () => '(none supported yet)',
    },
    importance: 'LOW',
    documentation: 'Aliases for the transformations to be applied to records.',
    group: 'Transforms',
    orderInGroup: 1,
    width: 'LONG',
    displayName: 'Transforms',
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
}
