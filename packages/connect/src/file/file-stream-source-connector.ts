import { ConfigDef, Validators } from '../config/config-def.js';
import { type Props, SourceConnector, type SourceTask } from '../connector/connector.js';
import { ConnectException } from '../jdbc/connect-exception.js';
import type { ConnectorOffset } from '../runtime/connector-offsets.js';
import { CONNECT_VERSION } from '../version.js';
import { FILENAME_FIELD, FileStreamSourceTask, POSITION_FIELD } from './file-stream-source-task.js';

export const FILE_CONFIG = 'file';
export const TOPIC_CONFIG = 'topic';
export const TASK_BATCH_SIZE_CONFIG = 'batch.size';
export const DEFAULT_TASK_BATCH_SIZE = 2000;

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Source filename. If not specified, the standard input will be used',
  })
  .define({
    name: TOPIC_CONFIG,
    type: 'LIST',
    validator: {
      ensureValid: (name, value) => Validators.nonEmptyString().ensureValid(name, (value as string[]).join(',')),
      toString: () => 'non-empty string',
    },
    importance: 'HIGH',
    documentation: 'The topic to publish data to',
  })
  .define({
    name: TASK_BATCH_SIZE_CONFIG,
    type: 'INT',
    defaultValue: DEFAULT_TASK_BATCH_SIZE,
    importance: 'LOW',
    documentation: 'The maximum number of records the source task can read from the file each time it is polled',
  });

/**
 * `org.apache.kafka.connect.file.FileStreamSourceConnector`: each line of a file (or stdin)
 * becomes a record of `topic` with a STRING value and no key. One task, whatever tasks.max says.
 */
export class FileStreamSourceConnector extends SourceConnector {
  static readonly CLASS = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
  private props: Props = {};

  version(): string {
    return CONNECT_VERSION;
  }

  /** As Kafka's: the file is only appended to, so a byte position replays exactly what followed it. */
  override exactlyOnceSupport(_props: Props): 'SUPPORTED' {
    return 'SUPPORTED';
  }

  start(props: Props): void {
    const parsed = CONFIG_DEF.parse(props);
    const topics = parsed[TOPIC_CONFIG] as string[];
    if (topics.length !== 1) {
      throw new Error("'topic' in FileStreamSourceConnector configuration requires definition of a single topic.");
    }
    this.props = props;
  }

  taskClass(): new () => SourceTask {
    return FileStreamSourceTask;
  }

  taskConfigs(_maxTasks: number): Props[] {
    const config: Record<string, string> = {};
    const file = this.props[FILE_CONFIG];
    if (file !== undefined) config[FILE_CONFIG] = file;
    config[TOPIC_CONFIG] = this.props[TOPIC_CONFIG] ?? '';
    config[TASK_BATCH_SIZE_CONFIG] = this.props[TASK_BATCH_SIZE_CONFIG] ?? String(DEFAULT_TASK_BATCH_SIZE);
    return [config];
  }

  stop(): void {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  /**
   * Offsets are `{"filename"} → {"position"}` (a byte position, non-negative integer); nothing is
   * kept outside the worker, so once they pass these checks the worker's write is the whole job.
   */
  override alterOffsets(_config: Props, offsets: readonly ConnectorOffset[]): boolean {
    for (const { partition, offset } of offsets) {
      if (offset === null) continue;
      if (!(FILENAME_FIELD in partition)) {
        throw new ConnectException(`Partition objects should contain the key '${FILENAME_FIELD}'`);
      }
      if (!(POSITION_FIELD in offset)) {
        throw new ConnectException(`Offset objects should either be null or contain the key '${POSITION_FIELD}'`);
      }
      const position = offset[POSITION_FIELD];
      if (typeof position !== 'number' || !Number.isInteger(position)) {
        throw new ConnectException(
          `The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`,
        );
      }
      if (position < 0) {
        throw new ConnectException(
          `The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`,
        );
      }
    }
    return true;
  }
}
