import { ConfigDef, ConfigException } from '../config/config-def.js';
import { DataException } from '../data/schema.js';
import { SimpleDateFormat } from './simple-date-format.js';
import { BaseTransform } from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const TIMESTAMP_ROUTER_DEF = new ConfigDef()
  .define({
    name: 'topic.format',
    type: 'STRING',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
    defaultValue: '${topic}-${timestamp}',
    importance: 'HIGH',
    documentation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
      'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
  })
  .define({
    name: 'timestamp.format',
    type: 'STRING',
    defaultValue: 'yyyyMMdd',
    validator: {
      ensureValid(name, value) {
        try {
          new SimpleDateFormat(String(value));
        } catch (error) {
          throw new ConfigException(name, value, (error as Error).message);
        }
      },
      toString: () => 'SimpleDateFormat pattern (y, M, d, H, m, s, S)',
    },
    importance: 'HIGH',
    documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
  });

/**
 * Kafka's TimestampRouter: the topic becomes `topic.format` with `${topic}` and the record's
 * `${timestamp}` (formatted in UTC).
 */
export class TimestampRouter extends BaseTransform {
  private topicFormat = '';
  private format = new SimpleDateFormat('yyyyMMdd');

  constructor() {
    super('value');
  }

  config(): ConfigDef {
    return TIMESTAMP_ROUTER_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.topicFormat = v['topic.format'] as string;
    this.format = new SimpleDateFormat(v['timestamp.format'] as string);
  }

  apply(record: ConnectRecord): ConnectRecord {
    const ts = record.timestamp;
    if (ts === null || ts === undefined) throw new DataException(`Timestamp missing on record: ${record.topic}`);
    const formatted = this.format.format(new Date(ts));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
    const topic = this.topicFormat.replaceAll('${topic}', record.topic).replaceAll('${timestamp}', formatted);
    return { ...record, topic };
  }
}
