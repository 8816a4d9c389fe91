import type { Producer, ProducerRecord } from '@samsa/client';
import type { SourceRecord } from '../connector/connect-record.js';
import type { Props, SourceTask } from '../connector/connector.js';
import type { Converter } from '../converters/converter.js';
import type { FileOffsetStore } from './file-offset-store.js';
import { Gate, State, traceOf, type WorkerTask } from './worker-task.js';

export interface WorkerSourceTaskOptions {
  readonly connector: string;
  readonly id: number;
  readonly taskClass: new () => SourceTask;
  readonly config: Props;
  readonly keyConverter: Converter;
  readonly valueConverter: Converter;
  readonly producer: Producer<Buffer, Buffer>;
  readonly offsets: FileOffsetStore;
  readonly onTopic: (topic: string) => void;
}

/**
 * Runs one SourceTask: poll → convert → produce → wait for acks → store each record's source
 * offset. An offset is stored only once Kafka acknowledged its record and every record before
 * it, so offsets written to the file (every `offset.flush.interval.ms` and on stop) never run
 * ahead of the topic: a restart re-sends at most what was not acknowledged (at-least-once).
 */
export class WorkerSourceTask implements WorkerTask {
  state: State = State.UNASSIGNED;
  trace: string | undefined;
  private task: SourceTask | undefined;
  private loop: Promise<void> | undefined;
  private paused = false;
  private stopping = false;
  private readonly gate = new Gate();

  constructor(private readonly options: WorkerSourceTaskOptions) {}

  get id(): number {
    return this.options.id;
  }

  async start(paused: boolean): Promise<void> {
    const { connector, offsets } = this.options;
    try {
      const task = new this.options.taskClass();
      task.initialize({
        configs: this.options.config,
        offsetStorageReader: { offset: (p) => offsets.get(connector, p) },
      });
      this.task = task;
      await task.start(this.options.config);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.paused = paused;
    this.state = paused ? State.PAUSED : State.RUNNING;
    this.loop = this.run();
  }

  pause(): void {
    this.paused = true;
    if (this.state === State.RUNNING) this.state = State.PAUSED;
  }

  resume(): void {
    this.paused = false;
    if (this.state === State.PAUSED) this.state = State.RUNNING;
    this.gate.open();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.gate.open();
    try {
      await this.task?.stop();
    } catch (error) {
      console.error(`connect: task ${this.options.connector}-${this.id} failed to stop:`, error);
    }
    await this.loop;
    try {
      await this.task?.commit();
    } catch {
      // commit() is a notification; a task failing it has nothing left to lose
    }
    if (this.state !== State.FAILED) this.state = State.UNASSIGNED;
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping) {
        if (this.paused) {
          await this.gate.wait();
          continue;
        }
        const records = await this.task!.poll();
        if (records === null || records.length === 0) continue;
        await this.send(records);
      }
    } catch (error) {
      if (!this.stopping) this.fail(error);
    }
  }

  private async send(records: readonly SourceRecord[]): Promise<void> {
    const { keyConverter, valueConverter, producer, offsets, connector } = this.options;
    const out: ProducerRecord<Buffer, Buffer>[] = records.map((r) => {
      const record: {
        topic: string;
        key: Buffer | null;
        value: Buffer | null;
        partition?: number;
        timestamp?: number;
        headers?: { key: string; value: string | Buffer | null }[];
      } = {
        topic: r.topic,
        key: keyConverter.fromConnectData(r.topic, r.keySchema ?? null, r.key ?? null),
        value: valueConverter.fromConnectData(r.topic, r.valueSchema ?? null, r.value),
      };
      if (r.kafkaPartition !== null && r.kafkaPartition !== undefined) record.partition = r.kafkaPartition;
      if (r.timestamp !== null && r.timestamp !== undefined) record.timestamp = r.timestamp;
      if (r.headers !== undefined && r.headers.length > 0)
        record.headers = r.headers.map((h) => ({ key: h.key, value: h.value }));
      return record;
    });
    const metadata = await producer.sendBatch(out);
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.sourcePartition !== null && record.sourceOffset !== null) {
        offsets.set(connector, record.sourcePartition, record.sourceOffset);
      }
      this.options.onTopic(record.topic);
      await this.task!.commitRecord(record, metadata[i] ?? null);
    }
  }

  private fail(error: unknown): void {
    this.state = State.FAILED;
    this.trace = traceOf(error);
    console.error(`connect: task ${this.options.connector}-${this.id} failed:`, error);
  }
}
