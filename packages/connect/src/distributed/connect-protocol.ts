/**
 * Kafka Connect's group protocol bytes (Kafka's ConnectProtocol and
 * IncrementalCooperativeConnectProtocol). Versions are data: v0 is protocol `default` (the eager
 * rebalance), v1 `compatible` (KIP-415's incremental cooperative rebalance), v2 `sessioned`
 * (v1's bytes, plus session keys elsewhere). Kafka's Struct encoding: INT16/INT32/INT64
 * big-endian, STRING as an INT16 length then UTF-8, NULLABLE_BYTES as an INT32 length (-1 for
 * null) then the bytes, ARRAY as an INT32 count then the elements.
 *
 * Metadata (JoinGroup):   version INT16, url STRING, config_offset INT64,
 *                         v1+: allocation NULLABLE_BYTES (the member's current assignment,
 *                         itself encoded as an assignment of that version)
 * Assignment (SyncGroup): version INT16, error INT16, leader STRING, leader_url STRING,
 *                         config_offset INT64, assignment ARRAY of { connector STRING, tasks
 *                         ARRAY of INT32 } (task -1 stands for the connector instance itself),
 *                         v1+: revoked (same shape), delay INT32 (ms before rejoining)
 *
 * With v1+ the assignment lists what is newly given to the member; the member adds it to what it
 * already runs, minus `revoked`.
 */
export const CONNECT_PROTOCOL_V0 = 0;
export const CONNECT_PROTOCOL_V1 = 1;
export const CONNECT_PROTOCOL_V2 = 2;
export const EAGER_PROTOCOL_NAME = 'default';
export const COMPATIBLE_PROTOCOL_NAME = 'compatible';
export const SESSIONED_PROTOCOL_NAME = 'sessioned';

/** The incremental cooperative protocols (v1 and v2 share their bytes and their assignor). */
export function isIncremental(protocol: string): boolean {
  return protocol === COMPATIBLE_PROTOCOL_NAME || protocol === SESSIONED_PROTOCOL_NAME;
}

/** The protocol version a protocol name stands for. */
export function protocolVersion(protocol: string): number {
  return protocol === SESSIONED_PROTOCOL_NAME
    ? CONNECT_PROTOCOL_V2
    : protocol === COMPATIBLE_PROTOCOL_NAME
      ? CONNECT_PROTOCOL_V1
      : CONNECT_PROTOCOL_V0;
}
/** The task id that stands for "the connector itself" in an assignment. */
export const CONNECTOR_TASK = -1;

export const AssignmentError = { NONE: 0, CONFIG_MISMATCH: 1 } as const;

export interface WorkerMetadata {
  readonly url: string;
  readonly configOffset: bigint;
  /** v1+: what the member runs now (null when it runs nothing or never joined). */
  readonly allocation?: ConnectAssignment | null;
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
  /** v1+: what the member must stop. */
  readonly revokedConnectors?: readonly string[];
  readonly revokedTasks?: readonly ConnectorTaskId[];
  /** v1+: ms after which the member rejoins (a departed worker's work is held for it meanwhile). */
  readonly delayMs?: number;
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
  nullableBytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    this.parts.push(v);
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
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    if (this.position + length > this.buffer.length) throw new RangeError('bytes past the end');
    const v = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return v;
  }
}

export function encodeMetadata(metadata: WorkerMetadata, version = CONNECT_PROTOCOL_V0): Buffer {
  const writer = new Writer().int16(version).string(metadata.url).int64(metadata.configOffset);
  if (version >= 1) {
    const allocation = metadata.allocation ?? null;
    writer.nullableBytes(allocation === null ? null : encodeAssignment(allocation, version));
  }
  return writer.done();
}

/** Reads metadata of any version; later versions than known start with the same fields. */
export function decodeMetadata(bytes: Buffer): WorkerMetadata & { version: number } {
  const reader = new Reader(bytes);
  const version = reader.int16();
  if (version < 0) throw new RangeError(`unknown Connect protocol version ${version}`);
  const url = reader.string();
  const configOffset = reader.int64();
  if (version < 1) return { version, url, configOffset };
  const allocation = reader.nullableBytes();
  return { version, url, configOffset, allocation: allocation === null ? null : decodeAssignment(allocation) };
}

function writeConnectorAssignments(
  writer: Writer,
  connectors: readonly string[],
  tasks: readonly ConnectorTaskId[],
): void {
  const byConnector = new Map<string, number[]>();
  for (const name of connectors) byConnector.set(name, [CONNECTOR_TASK]);
  for (const { connector, task } of tasks) {
    const list = byConnector.get(connector);
    if (list === undefined) byConnector.set(connector, [task]);
    else list.push(task);
  }
  writer.int32(byConnector.size);
  for (const [connector, ids] of byConnector) {
    writer.string(connector).int32(ids.length);
    for (const task of ids) writer.int32(task);
  }
}

function readConnectorAssignments(reader: Reader): { connectors: string[]; tasks: ConnectorTaskId[] } {
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
  return { connectors, tasks };
}

export function encodeAssignment(assignment: ConnectAssignment, version = CONNECT_PROTOCOL_V0): Buffer {
  const writer = new Writer()
    .int16(version)
    .int16(assignment.error)
    .string(assignment.leader)
    .string(assignment.leaderUrl)
    .int64(assignment.configOffset);
  writeConnectorAssignments(writer, assignment.connectors, assignment.tasks);
  if (version >= 1) {
    writeConnectorAssignments(writer, assignment.revokedConnectors ?? [], assignment.revokedTasks ?? []);
    writer.int32(assignment.delayMs ?? 0);
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
  const { connectors, tasks } = readConnectorAssignments(reader);
  if (version < 1) return { error, leader, leaderUrl, configOffset, connectors, tasks };
  const revoked = readConnectorAssignments(reader);
  const delayMs = reader.int32();
  return {
    error,
    leader,
    leaderUrl,
    configOffset,
    connectors,
    tasks,
    revokedConnectors: revoked.connectors,
    revokedTasks: revoked.tasks,
    delayMs,
  };
}
