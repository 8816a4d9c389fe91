import type { ConsumerRecord } from '@samsa/client';
import { getLogger } from '../runtime/loggers.js';
import { KafkaBasedLog, type TopicSettings } from './kafka-based-log.js';

const log = getLogger('org.apache.kafka.connect.storage.KafkaStatusBackingStore');

/** One connector's or task's status as Kafka's status topic holds it. */
export interface ConnectStatus {
  readonly state: string;
  readonly trace: string | null;
  readonly worker_id: string;
  readonly generation: number;
}

/**
 * Connector and task statuses in `status.storage.topic` (Kafka's KafkaStatusBackingStore), so
 * any worker can answer `/status` for work running elsewhere. Keys `status-connector-<name>` and
 * `status-task-<name>-<n>`; values `{"state","trace","worker_id","generation"}` in that order,
 * JSON as Kafka's JsonConverter writes them (`schemas.enable=false`). A deleted connector's
 * statuses become tombstones (Kafka's DESTROYED).
 *
 * Readers take the last record, as Kafka's do. Writers of UNASSIGNED (a worker giving work up)
 * use `safe`: the write is skipped when the status read is another worker's from a newer
 * generation (Kafka's `putSafe`), so a worker that lost its work cannot hide the new owner's.
 */
export class KafkaStatusBackingStore {
  readonly connectors = new Map<string, ConnectStatus>();
  readonly tasks = new Map<string, Map<number, ConnectStatus>>();
  private readonly log: KafkaBasedLog;

  constructor(topic: TopicSettings, clientProps: Readonly<Record<string, string>>, clientIdPrefix: string) {
    this.log = new KafkaBasedLog({
      topic,
      clientProps,
      clientIdPrefix: `${clientIdPrefix}-statuses`,
      consume: (record) => this.apply(record),
    });
  }

  start(): Promise<void> {
    return this.log.start();
  }

  stop(): Promise<void> {
    return this.log.stop();
  }

  refresh(): Promise<void> {
    return this.log.readToEnd();
  }

  putConnector(connector: string, status: ConnectStatus, safe = false): Promise<void> {
    if (safe && !canWriteSafely(this.connectors.get(connector), status)) return Promise.resolve();
    return this.send(`status-connector-${connector}`, status);
  }

  putTask(connector: string, task: number, status: ConnectStatus, safe = false): Promise<void> {
    if (safe && !canWriteSafely(this.tasks.get(connector)?.get(task), status)) return Promise.resolve();
    return this.send(`status-task-${connector}-${task}`, status);
  }

  /** Tombstones for a deleted connector and its tasks. */
  async deleteConnector(connector: string, taskCount: number): Promise<void> {
    await this.send(`status-connector-${connector}`, null);
    const known = [...(this.tasks.get(connector)?.keys() ?? [])];
    const ids = new Set([...known, ...Array.from({ length: taskCount }, (_, i) => i)]);
    for (const id of ids) await this.send(`status-task-${connector}-${id}`, null);
  }

  private async send(key: string, status: ConnectStatus | null): Promise<void> {
    const value =
      status === null
        ? null
        : JSON.stringify({
            state: status.state,
            trace: status.trace,
            worker_id: status.worker_id,
            generation: status.generation,
          });
    try {
      await this.log.send(Buffer.from(key, 'utf8'), value === null ? null : Buffer.from(value, 'utf8'));
    } catch (error) {
      // Statuses are informative: a failed write must not stop the work it describes.
      log.error(`connect: writing ${key} to ${this.log.topic} failed:`, error);
    }
  }

  private apply(record: ConsumerRecord<Buffer, Buffer>): void {
    const key = record.key?.toString('utf8') ?? '';
    const status = record.value === null ? null : (JSON.parse(record.value.toString('utf8')) as ConnectStatus);
    if (key.startsWith('status-connector-')) {
      const name = key.slice('status-connector-'.length);
      if (status === null) {
        this.connectors.delete(name);
        return;
      }
      this.connectors.set(name, status);
      return;
    }
    const match = /^status-task-(.*)-(\d+)$/.exec(key);
    if (match === null) return;
    const name = match[1]!;
    const id = Number(match[2]);
    let tasks = this.tasks.get(name);
    if (status === null) {
      tasks?.delete(id);
      if (tasks?.size === 0) this.tasks.delete(name);
      return;
    }
    if (tasks === undefined) this.tasks.set(name, (tasks = new Map()));
    tasks.set(id, status);
  }
}

function canWriteSafely(current: ConnectStatus | undefined, next: ConnectStatus): boolean {
  return current === undefined || current.worker_id === next.worker_id || current.generation <= next.generation;
}
