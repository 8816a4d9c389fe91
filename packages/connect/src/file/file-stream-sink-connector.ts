import { ConfigDef } from '../config/config-def.js';
import { type Props, SinkConnector, type SinkTask } from '../connector/connector.js';
import { CONNECT_VERSION } from '../version.js';
import { FileStreamSinkTask } from './file-stream-sink-task.js';

const CONFIG_DEF = new ConfigDef().define({
  name: 'file',
  type: 'STRING',
  defaultValue: null,
  importance: 'HIGH',
  documentation: 'Destination filename. If not specified, the standard output will be used',
});

/** `org.apache.kafka.connect.file.FileStreamSinkConnector`: each record's value, one line each, appended to `file`. */
export class FileStreamSinkConnector extends SinkConnector {
  static readonly CLASS = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
  private props: Props = {};

  version(): string {
    return CONNECT_VERSION;
  }

  start(props: Props): void {
    CONFIG_DEF.parse(props);
    this.props = props;
  }

  taskClass(): new () => SinkTask {
    return FileStreamSinkTask;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  /** The consumer group's offsets are the only ones this connector has: nothing else to change. */
  override alterOffsets(): boolean {
    return true;
  }
}
