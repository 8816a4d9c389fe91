/**
 * Kafka Connect's group protocol bytes, v0 (Kafka's ConnectProtocol, protocol name `default`,
 * the `eager` rebalance). Kafka's Struct encoding: INT16/INT32/INT64 big-endian, STRING as an
 * INT16 length then UTF-8, ARRAY as an INT32 count then the elements.
 *
 * Metadata (JoinGroup):  version INT16 = 0, url STRING, config_offset INT64
 * Assignment (SyncGroup): version INT16 = 0, error INT16, leader STRING, leader_url STRING,
 *   config_offset INT64, assignment ARRAY of { connector STRING, tasks ARRAY of INT32 }, where
 *   task -1 stands for the connector instance itself.
 */
export const CONNECT_PROTOCOL_V0 = 0;
export const EAGER_PROTOCOL_NAME = 'default';
/** The task id that stands for "the connector itself" in an assignment. */
export const CONNECTOR_TASK = -1;

export const AssignmentError = { NONE: 0, CONFIG_MISMATCH: 1 } as const;

export interface WorkerMetadata {
  readonly url: string;
  readonly configOffset: bigint;
}

export interface ConnectorTaskId {
  readonly connector: string;
  readonly task: number;
}

export interface ConnectAssignment {
  readonly error: number;
  readonly leader: string;
  readonly leaderUrl: string;
  readonly configOffset: bigint;
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

class Writer {
  private readonly parts: Buffer[] = [];
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  string(v: string): this {
    const bytes = Buffer.from(v, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private position = 0;
  constructor(private readonly buffer: Buffer) {}
  int16(): number {
    const v = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return v;
  }
  int32(): number {
    const v = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buffer.readBigInt64BE(this.position);
    this.position += 8;
    return v;
  }
  string(): string {
    const length = this.int16();
    if (length < 0 || this.position + length > this.buffer.length) throw new RangeError('string past the end');
    const v = this.buffer.toString('utf8', this.position, this.position + length);
    this.position += length;
    return v;
  }
}

export function encodeMetadata(metadata: WorkerMetadata): Buffer {
  return new Writer().int16(CONNECT_PROTOCOL_V0).string(metadata.url).int64(metadata.configOffset).done();
}

/** Reads v0 metadata; later versions start with the same fields, so their prefix is read too. */
export function decodeMetadata(bytes: Buffer): WorkerMetadata {
  const reader = new Reader(bytes);
  const version = reader.int16();
  if (version < 0) throw new RangeError(`unknown Connect protocol version ${version}`);
  return { url: reader.string(), configOffset: reader.int64() };
}

export function encodeAssignment(assignment: ConnectAssignment): Buffer {
  const byConnector = new Map<string, number[]>();
  for (const name of assignment.connectors) byConnector.set(name, [CONNECTOR_TASK]);
  for (const { connector, task } of assignment.tasks) {
    const list = byConnector.get(connector);
    if (list === undefined) byConnector.set(connector, [task]);
    else list.push(task);
  }
  const writer = new Writer()
    .int16(CONNECT_PROTOCOL_V0)
    .int16(assignment.error)
    .string(assignment.leader)
    .string(assignment.leaderUrl)
    .int64(assignment.configOffset)
    .int32(byConnector.size);
  for (const [connector, tasks] of byConnector) {
    writer.string(connector).int32(tasks.length);
    for (const task of tasks) writer.int32(task);
  }
  return writer.done();
}

export function decodeAssignment(bytes: Buffer): ConnectAssignment {
  const reader = new Reader(bytes);
  const version = reader.int16();
  if (version < 0) throw new RangeError(`unknown Connect protocol version ${version}`);
  const error = reader.int16();
  const leader = reader.string();
  const leaderUrl = reader.string();
  const configOffset = reader.int64();
  const connectors: string[] = [];
  const tasks: ConnectorTaskId[] = [];
  const count = reader.int32();
  for (let i = 0; i < count; i++) {
    const connector = reader.string();
    const taskCount = reader.int32();
    for (let t = 0; t < taskCount; t++) {
      const task = reader.int32();
      if (task === CONNECTOR_TASK) connectors.push(connector);
      else tasks.push({ connector, task });
    }
  }
  return { error, leader, leaderUrl, configOffset, connectors, tasks };
}
