import { randomBytes } from 'node:crypto';
import { GroupMember, type GroupMemberMetadata, type GroupMemberProtocol } from '@samsa/client';
import type { Props, SourceConnector } from '../connector/connector.js';
import { alreadyExists, ConnectRestException, notFound } from '../runtime/connect-errors.js';
import { ConnectMetrics } from '../runtime/connect-metrics.js';
import { type ConnectorOffset, type ConnectorOffsets, notStoppedMessage } from '../runtime/connector-offsets.js';
import {
  ensureValidConnectorConfig,
  invalidConnectorConfig,
  validateConnectorConfig,
} from '../runtime/connector-validator.js';
import {
  fenceProducers,
  transactionalId,
  validateExactlyOnceSettings,
  withExactlyOnceValidation,
} from '../runtime/exactly-once-source.js';
import type {
  ConfigInfos,
  ConnectorInfo,
  ConnectorStateInfo,
  Herder,
  InitialState,
  StateInfo,
} from '../runtime/herder.js';
import { getLogger, LOGGERS, parseLevel } from '../runtime/loggers.js';
import {
  type ConnectorOffsetsContext,
  modifyConnectorOffsets,
  readConnectorOffsets,
} from '../runtime/modify-connector-offsets.js';
import type { Plugins } from '../runtime/plugins.js';
import { adminClientProps } from '../runtime/task-factory.js';
import { State } from '../runtime/worker-task.js';
import { type ConfigUpdateListener, KafkaConfigBackingStore } from '../storage/kafka-config-backing-store.js';
import { KafkaOffsetBackingStore } from '../storage/kafka-offset-backing-store.js';
import { type ConnectStatus, KafkaStatusBackingStore } from '../storage/kafka-status-backing-store.js';
import { ClusterView } from './cluster-view.js';
import {
  AssignmentError,
  COMPATIBLE_PROTOCOL_NAME,
  CONNECT_PROTOCOL_V1,
  CONNECT_PROTOCOL_V2,
  type ConnectAssignment,
  type ConnectorTaskId,
  decodeAssignment,
  EAGER_PROTOCOL_NAME,
  encodeMetadata,
  isIncremental,
  SESSIONED_PROTOCOL_NAME,
} from './connect-protocol.js';
import type { DistributedConfig } from './distributed-config.js';
import { IncrementalCooperativeAssignor } from './incremental-cooperative-assignor.js';
import {
  type InternalRequestSignature,
  SIGNATURE_ALGORITHM_HEADER,
  SIGNATURE_HEADER,
  signBody,
  verifyInternalRequest,
} from './internal-request-signature.js';
import { leaderAssignment } from './leader-assignment.js';
import { NotLeaderException } from './not-leader-exception.js';
import { WorkerRuntime } from './worker-runtime.js';

const log = getLogger('org.apache.kafka.connect.runtime.distributed.DistributedHerder');

/**
 * A worker of a Connect cluster (Kafka's DistributedHerder). The cluster's state is in three
 * compacted topics: connector and task configs and target states (KafkaConfigBackingStore),
 * source offsets (KafkaOffsetBackingStore) and statuses (KafkaStatusBackingStore). Workers form
 * a group of protocol type `connect`; the leader assigns connectors and tasks (eager: all of
 * them, round-robin, at every rebalance; compatible: only what is added or revoked, KIP-415),
 * and each worker runs what it holds through its WorkerRuntime.
 *
 * Who writes what:
 * - Only the leader writes configs. A REST write reaching another worker fails with
 *   NotLeaderException and the REST layer forwards it to the leader's URL, as Kafka does.
 * - The worker running a connector computes its task configs; when they differ from the topic's,
 *   it has the leader write them (`POST /connectors/<name>/tasks`, Kafka's internal endpoint).
 * - Each worker writes the statuses of what it runs, tagged with the group generation.
 *
 * Every change to local work happens in `tick()`, one at a time (`serial`). Config records are
 * applied by the config log's reader, which only records what changed and wakes the tick, so
 * every worker reacts to the same records in the same order. A new or removed connector and any
 * committed task set start a rebalance: with the eager protocol every worker stops everything
 * at each rebalance and starts what it is dealt; with the incremental one it stops only what is
 * revoked.
 */
export class DistributedHerder implements Herder, ConfigUpdateListener, GroupMemberProtocol {
  readonly protocolType = 'connect';
  kafkaClusterId = '';
  workerId = '';
  /** This worker's REST URL as other workers reach it, `http://host:port/`. */
  url = '';
  private readonly configStore: KafkaConfigBackingStore;
  private readonly offsetStore: KafkaOffsetBackingStore;
  private readonly statusStore: KafkaStatusBackingStore;
  private readonly member: GroupMember;
  private readonly runtime: WorkerRuntime;
  private readonly view: ClusterView;
  readonly metrics: ConnectMetrics;
  private assignment: ConnectAssignment | undefined;
  private assignmentToStart: ConnectAssignment | undefined;
  /** What the config log told us since the last tick. */
  private readonly updatedConnectors = new Set<string>();
  private readonly targetStateChanges = new Set<string>();
  private readonly removedConnectors = new Set<string>();
  /** Connectors whose task configs must be (re)computed and published. */
  private readonly reconfigure = new Set<string>();
  /** The last status written per key, so a status is written once per change. */
  private readonly written = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopping = false;
  /** Aborts a join in progress when the worker stops. */
  private readonly abort = new AbortController();
  private flushTimer: NodeJS.Timeout | undefined;
  /** The protocol the group agreed on at the last join: `default` (eager) or `compatible`. */
  private protocolInUse = EAGER_PROTOCOL_NAME;
  /** The leader's state between incremental rounds (only used while this worker leads). */
  private readonly incremental: IncrementalCooperativeAssignor;
  /** Connectors with new task configs, whose tasks here restart (incremental protocol). */
  private readonly taskConfigUpdates = new Set<string>();
  private delayedRejoin: NodeJS.Timeout | undefined;

  constructor(
    readonly config: DistributedConfig,
    readonly plugins: Plugins,
  ) {
    const clientProps: Record<string, string> = {
      ...sharedClientProps(config.worker.props),
      'bootstrap.servers': config.worker.bootstrapServers,
    };
    const prefix = `connect-${config.groupId}`;
    // KIP-618: with exactly-once source support the worker's own readers skip aborted transactions.
    const readCommitted = config.exactlyOnceSourceSupport !== 'disabled';
    this.configStore = new KafkaConfigBackingStore(config.configTopic, clientProps, prefix, this, readCommitted);
    this.offsetStore = new KafkaOffsetBackingStore(config.offsetTopic, clientProps, prefix, readCommitted);
    this.statusStore = new KafkaStatusBackingStore(config.statusTopic, clientProps, prefix);
    this.member = new GroupMember(
      {
        client: clientProps,
        groupId: config.groupId,
        sessionTimeoutMs: config.sessionTimeoutMs,
        rebalanceTimeoutMs: config.rebalanceTimeoutMs,
        heartbeatIntervalMs: config.heartbeatIntervalMs,
      },
      this,
    );
    this.member.onRejoinNeeded = () => this.wakeup();
    this.incremental = new IncrementalCooperativeAssignor(config.scheduledRebalanceMaxDelayMs);
    this.metrics = new ConnectMetrics({
      connectorCount: () => [...this.runtime.connectors.values()].filter((c) => c.connector !== undefined).length,
      taskCount: () => this.runtime.tasks.size,
    });
    this.runtime = new WorkerRuntime({
      metrics: this.metrics,
      worker: config.worker,
      plugins,
      configs: this.configStore,
      offsets: this.offsetStore,
      flushOffsets: () => this.flushOffsets(),
      ...(config.exactlyOnceSourceSupport === 'enabled'
        ? { exactlyOnce: { groupId: config.groupId, offsetTopic: config.offsetTopic.name } }
        : {}),
      onReconfigure: (connector) => {
        this.reconfigure.add(connector);
        this.wakeup();
      },
    });
    this.view = new ClusterView(this.configStore, this.statusStore, this.runtime, plugins, () => this.workerId);
  }

  /** Reads the three topics to their end, then joins the group in the background. */
  async start(workerId: string): Promise<void> {
    this.workerId = workerId;
    this.url = `http://${workerId}/`;
    try {
      await this.statusStore.start();
      await this.offsetStore.start();
      await this.configStore.start();
    } catch (error) {
      // A refused topic (not compacted, config topic of several partitions) stops startup.
      await Promise.all([this.statusStore.stop(), this.offsetStore.stop(), this.configStore.stop()]);
      throw error;
    }
    const flushMs = this.config.worker.offsetFlushIntervalMs;
    if (flushMs > 0) {
      this.flushTimer = setInterval(() => void this.flushOffsets(), flushMs);
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort(new Error('the worker is stopping'));
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    if (this.delayedRejoin !== undefined) clearTimeout(this.delayedRejoin);
    this.wakeup();
    await this.loop;
    await this.serial(() => this.stopAll());
    await this.member.close('the worker is shutting down');
    await this.offsetStore.stop();
    await this.statusStore.stop();
    await this.configStore.stop();
  }

  private async flushOffsets(): Promise<void> {
    try {
      await this.offsetStore.flush();
    } catch (error) {
      log.error('connect: writing source offsets failed (kept for the next flush):', error);
    }
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }

  private wakeup(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.serial(() => this.tick());
      } catch (error) {
        if (this.stopping) break;
        log.error('connect: worker tick failed, retrying:', error);
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Kafka's `tick`: membership first, then config changes, then statuses. */
  private async tick(): Promise<void> {
    if (this.member.rejoinNeeded) await this.member.ensureActive(this.abort.signal);
    if (this.stopping) return;
    const fresh = this.assignmentToStart;
    const started = new Set<string>();
    if (fresh !== undefined) {
      this.assignmentToStart = undefined;
      await this.startAssigned(fresh);
      for (const t of fresh.tasks) started.add(`${t.connector}-${t.task}`);
    }
    for (const name of this.takeAll(this.removedConnectors)) {
      // Deleted: the leader wrote tombstones for its statuses, nothing is written here.
      await this.stopLocalConnector(name, false);
      this.forget({ connectors: [name], tasks: (this.assignment?.tasks ?? []).filter((t) => t.connector === name) });
    }
    for (const name of this.takeAll(this.taskConfigUpdates)) {
      // Incremental: tasks kept across the rebalance restart with their new configs.
      for (const t of [...this.runtime.tasks.values()]) {
        if (t.connector === name && !started.has(`${name}-${t.id}`)) await this.runtime.restartTask(name, t.id);
      }
    }
    for (const name of this.takeAll(this.updatedConnectors)) {
      if (!this.runtime.connectors.has(name)) continue;
      await this.runtime.stopConnector(name);
      await this.runtime.startConnector(name);
    }
    for (const name of this.takeAll(this.targetStateChanges)) await this.runtime.applyTargetState(name);
    await this.ensureSessionKey();
    for (const name of this.takeAll(this.reconfigure)) await this.publishTaskConfigs(name);
    await this.writeStatuses();
  }

  private takeAll(set: Set<string>): string[] {
    const out = [...set];
    set.clear();
    return out;
  }

  // ---- the config log's listener (called from its reader: record and wake, nothing more) ----

  onConnectorConfigUpdate(connector: string): void {
    if (this.assignment?.connectors.includes(connector) === true) this.updatedConnectors.add(connector);
    else if (!this.knownToAssignment(connector)) this.member.requestRejoin();
    this.wakeup();
  }

  onConnectorConfigRemove(connector: string): void {
    this.removedConnectors.add(connector);
    this.member.requestRejoin();
  }

  onTaskConfigUpdate(connector: string): void {
    // A new set of tasks is dealt by a rebalance; with the incremental protocol the tasks a
    // worker keeps must also restart with their new configs (eager restarts everything anyway).
    if (isIncremental(this.protocolInUse)) this.taskConfigUpdates.add(connector);
    this.member.requestRejoin();
  }

  onConnectorTargetStateChange(connector: string): void {
    this.targetStateChanges.add(connector);
    this.wakeup();
  }

  onLoggingLevelUpdate(namespace: string, level: string): void {
    const parsed = parseLevel(level);
    if (parsed === undefined) {
      log.warn(`connect: ignoring the cluster-wide level ${level} for ${namespace}: not a log level`);
      return;
    }
    log.info(`connect: setting the level of ${namespace} and its children to ${parsed} (cluster-wide)`);
    LOGGERS.setLevel(namespace, parsed);
  }

  /** Whether the current assignment was computed knowing this connector (so it needs no rebalance). */
  private knownToAssignment(connector: string): boolean {
    return this.runtime.connectors.has(connector) || this.assignmentKnows.has(connector);
  }

  /** Connectors the leader knew when it computed the current assignment (any worker's). */
  private assignmentKnows = new Set<string>();

  // ---- the `connect` group protocol ----

  /** What this worker offers, most preferred first: `sessioned` (v2), `compatible` (v1), `default` (v0). */
  metadata(): { name: string; metadata: Buffer }[] {
    const state = { url: this.url, configOffset: this.configStore.offset };
    const eager = { name: EAGER_PROTOCOL_NAME, metadata: encodeMetadata(state) };
    if (this.config.connectProtocol === 'eager') return [eager];
    const allocation = this.assignment ?? null;
    const compatible = {
      name: COMPATIBLE_PROTOCOL_NAME,
      metadata: encodeMetadata({ ...state, allocation }, CONNECT_PROTOCOL_V1),
    };
    if (this.config.connectProtocol === 'compatible') return [compatible, eager];
    const sessioned = {
      name: SESSIONED_PROTOCOL_NAME,
      metadata: encodeMetadata({ ...state, allocation }, CONNECT_PROTOCOL_V2),
    };
    return [sessioned, compatible, eager];
  }

  /** Eager: everything this worker runs is given up before every rebalance; incremental: nothing. */
  async onJoinPrepare(): Promise<void> {
    if (isIncremental(this.protocolInUse)) return;
    await this.stopAll();
    this.assignment = undefined;
  }

  async performAssignment(
    leaderId: string,
    protocol: string,
    members: readonly GroupMemberMetadata[],
  ): Promise<Map<string, Buffer>> {
    // Read configs up to what any member has seen before dealing them out.
    await this.configStore.refresh();
    const connectors = [...this.configStore.connectorConfigs.keys()];
    const { assignments, summary } = leaderAssignment({
      leaderId,
      leaderUrl: this.url,
      protocol,
      members,
      configOffset: this.configStore.offset,
      connectors,
      taskCounts: new Map(connectors.map((c) => [c, this.configStore.taskConfigs.get(c)?.length ?? 0])),
      incremental: this.incremental,
      nowMs: Date.now(),
    });
    log.info(`connect: as leader (${protocol}), assigned ${summary}`);
    return assignments;
  }

  async onJoinComplete(generationId: number, _memberId: string, protocol: string, bytes: Buffer): Promise<void> {
    const previousProtocol = this.protocolInUse;
    this.protocolInUse = protocol;
    const assignment = decodeAssignment(bytes);
    if (assignment.error !== AssignmentError.NONE) {
      // The leader was behind some member: read on and join again (Kafka leaves and rejoins).
      log.error(`connect: the leader's config offset was behind (generation ${generationId}), rejoining`);
      await this.configStore.refresh();
      this.member.requestRejoin();
      return;
    }
    if (this.configStore.offset < assignment.configOffset) await this.configStore.refresh();
    this.assignmentKnows = new Set(this.configStore.connectorConfigs.keys());
    if (isIncremental(protocol)) {
      await this.applyIncremental(assignment);
    } else {
      // Switched from incremental to eager (a v0-only worker joined): nothing carries over.
      if (isIncremental(previousProtocol)) await this.stopAll();
      this.assignment = assignment;
      this.assignmentToStart = assignment;
    }
    const revoked = [...(assignment.revokedConnectors ?? []), ...(assignment.revokedTasks ?? []).map(taskName)];
    log.info(
      `connect: joined generation ${generationId} (${protocol}, leader ${assignment.leaderUrl}): connectors [${assignment.connectors.join(', ')}], tasks [${assignment.tasks.map(taskName).join(', ')}]${revoked.length > 0 ? `, revoked [${revoked.join(', ')}]` : ''}${(assignment.delayMs ?? 0) > 0 ? `, rejoining in ${assignment.delayMs} ms` : ''}`,
    );
  }

  /**
   * KIP-415 on the member's side: stop what is revoked, keep the rest, add what is assigned.
   * After a revocation the member rejoins at once so the leader can deal the work out; with a
   * delay it rejoins when the delay is over.
   */
  private async applyIncremental(assignment: ConnectAssignment): Promise<void> {
    const revokedConnectors = assignment.revokedConnectors ?? [];
    const revokedTasks = assignment.revokedTasks ?? [];
    for (const t of revokedTasks) {
      await this.runtime.stopTask(t.connector, t.task);
      await this.putTaskUnassigned(t.connector, t.task);
    }
    for (const name of revokedConnectors) {
      const local = await this.runtime.stopConnector(name);
      if (local !== undefined && local.state !== State.FAILED) {
        await this.putUnassigned(name);
      }
    }
    if (revokedTasks.length > 0) await this.flushOffsets();
    const previous = this.assignment;
    const revokedTaskNames = new Set(revokedTasks.map(taskName));
    const keptConnectors = (previous?.connectors ?? []).filter((c) => !revokedConnectors.includes(c));
    const keptTasks = (previous?.tasks ?? []).filter((t) => !revokedTaskNames.has(taskName(t)));
    const keptTaskNames = new Set(keptTasks.map(taskName));
    this.assignment = {
      ...assignment,
      connectors: [...keptConnectors, ...assignment.connectors.filter((c) => !keptConnectors.includes(c))],
      tasks: [...keptTasks, ...assignment.tasks.filter((t) => !keptTaskNames.has(taskName(t)))],
      revokedConnectors: [],
      revokedTasks: [],
      delayMs: 0,
    };
    this.assignmentToStart = {
      ...assignment,
      connectors: assignment.connectors.filter((c) => !this.runtime.connectors.has(c)),
      tasks: assignment.tasks.filter((t) => !this.runtime.tasks.has(taskName(t))),
    };
    if (revokedConnectors.length > 0 || revokedTasks.length > 0) this.member.requestRejoin();
    if (this.delayedRejoin !== undefined) clearTimeout(this.delayedRejoin);
    this.delayedRejoin = undefined;
    const delayMs = assignment.delayMs ?? 0;
    if (delayMs > 0) this.delayedRejoin = setTimeout(() => this.member.requestRejoin(), delayMs);
  }

  /** Drops work from the assignment this worker reports as its allocation. */
  private forget(work: { connectors: readonly string[]; tasks: readonly ConnectorTaskId[] }): void {
    const current = this.assignment;
    if (current === undefined) return;
    const tasks = new Set(work.tasks.map(taskName));
    this.assignment = {
      ...current,
      connectors: current.connectors.filter((c) => !work.connectors.includes(c)),
      tasks: current.tasks.filter((t) => !tasks.has(taskName(t))),
    };
  }

  // ---- running the assignment ----

  private async startAssigned(assignment: ConnectAssignment): Promise<void> {
    for (const name of assignment.connectors) await this.runtime.startConnector(name);
    for (const { connector, task } of assignment.tasks) await this.runtime.startTask(connector, task);
  }

  /** Stops a connector and its tasks here; on a rebalance its status becomes UNASSIGNED. */
  private async stopLocalConnector(name: string, writeStatus: boolean): Promise<void> {
    const taskIds = [...this.runtime.tasks.values()].filter((t) => t.connector === name).map((t) => t.id);
    const local = await this.runtime.stopConnectorAndTasks(name);
    if (!writeStatus) return;
    if (local !== undefined && local.state !== State.FAILED) await this.putUnassigned(name);
    for (const id of taskIds) await this.putTaskUnassigned(name, id);
  }

  /** As Kafka's workers do when they stop work: UNASSIGNED until its next owner says otherwise. */
  private async putUnassigned(connector: string): Promise<void> {
    await this.putStatus(`connector-${connector}`, { state: State.UNASSIGNED, trace: undefined }, (s) =>
      this.statusStore.putConnector(connector, s, true),
    );
  }

  private async putTaskUnassigned(connector: string, id: number): Promise<void> {
    await this.putStatus(`task-${connector}-${id}`, { state: State.UNASSIGNED, trace: undefined }, (s) =>
      this.statusStore.putTask(connector, id, s, true),
    );
  }

  /** Stops every connector and task here (a rebalance, or the worker stopping). */
  private async stopAll(): Promise<void> {
    for (const name of this.runtime.names()) await this.stopLocalConnector(name, true);
    await this.flushOffsets();
  }

  /**
   * The leader stores a connector's task configs. Under exactly-once source support it first
   * fences the producers of the tasks stored so far (KIP-618's zombie fencing), so no task of
   * the older generation can commit once the new one may start.
   */
  private async writeTaskConfigs(name: string, configs: readonly Props[]): Promise<void> {
    const previous = this.configStore.taskConfigs.get(name)?.length ?? 0;
    const connectorConfig = this.configStore.connectorConfigs.get(name);
    const type =
      connectorConfig === undefined ? undefined : this.plugins.find(connectorConfig['connector.class'] ?? '')?.type;
    if (this.config.exactlyOnceSourceSupport === 'enabled' && type === 'source' && previous > 0) {
      const ids = Array.from({ length: previous }, (_, task) => transactionalId(this.config.groupId, name, task));
      log.info(
        `connect: fencing the producers of ${name}'s ${previous} previous task(s) before writing new task configs`,
      );
      await fenceProducers(
        { ...this.config.worker.producerProps, 'bootstrap.servers': this.config.worker.bootstrapServers },
        ids,
      );
    }
    await this.configStore.putTaskConfigs(name, configs);
  }

  /** Computes the connector's task configs and has the leader store them if they changed. */
  private async publishTaskConfigs(name: string): Promise<void> {
    const configs = this.runtime.taskConfigs(name);
    if (configs === undefined) return;
    const stored = this.configStore.taskConfigs.get(name) ?? [];
    if (sameTaskConfigs(configs, stored)) return;
    try {
      if (this.isLeader()) {
        await this.writeTaskConfigs(name, configs);
      } else {
        await this.forwardTaskConfigs(name, configs);
      }
    } catch (error) {
      log.error(`connect: publishing task configs of ${name} failed, retrying:`, error);
      this.reconfigure.add(name);
      setTimeout(() => this.wakeup(), 1000).unref();
    }
  }

  /**
   * The sessioned protocol's leader writes a new session key when there is none or it is older
   * than `inter.worker.key.ttl.ms` (KIP-507); every worker reads it from the config topic.
   */
  private async ensureSessionKey(): Promise<void> {
    if (this.protocolInUse !== SESSIONED_PROTOCOL_NAME || !this.isLeader()) return;
    const { keyGenerationAlgorithm, keyBytes, keyTtlMs } = this.config.interWorker;
    const current = this.configStore.sessionKey;
    if (current !== undefined && Date.now() - current.creationTimestampMs < keyTtlMs) return;
    try {
      await this.configStore.putSessionKey({
        key: randomBytes(keyBytes),
        algorithm: keyGenerationAlgorithm,
        creationTimestampMs: Date.now(),
      });
      await this.configStore.refresh();
    } catch (error) {
      log.error('connect: writing a new session key failed, retrying:', error);
    }
  }

  private async forwardTaskConfigs(name: string, configs: Props[]): Promise<void> {
    const leaderUrl = this.assignment?.leaderUrl;
    if (leaderUrl === undefined) throw new Error('no known leader');
    const body = JSON.stringify(configs);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.protocolInUse === SESSIONED_PROTOCOL_NAME) {
      const sessionKey = this.configStore.sessionKey;
      if (sessionKey === undefined) throw new Error('no session key from the leader yet');
      const algorithm = this.config.interWorker.signatureAlgorithm;
      headers[SIGNATURE_HEADER] = signBody(sessionKey.key, algorithm, body);
      headers[SIGNATURE_ALGORITHM_HEADER] = algorithm;
    }
    const response = await fetch(`${leaderUrl.replace(/\/$/, '')}/connectors/${encodeURIComponent(name)}/tasks`, {
      method: 'POST',
      headers,
      body,
    });
    if (!response.ok) throw new Error(`leader answered ${response.status}: ${await response.text()}`);
  }

  // ---- statuses ----

  private async writeStatuses(): Promise<void> {
    for (const local of this.runtime.connectors.values()) {
      await this.putStatus(`connector-${local.name}`, local, (s) => this.statusStore.putConnector(local.name, s));
    }
    for (const t of this.runtime.tasks.values()) {
      await this.putStatus(`task-${t.connector}-${t.id}`, t.task, (s) =>
        this.statusStore.putTask(t.connector, t.id, s),
      );
    }
  }

  private async putStatus(
    key: string,
    current: { state: State; trace: string | undefined },
    put: (status: ConnectStatus) => Promise<void>,
  ): Promise<void> {
    const status: ConnectStatus = {
      state: current.state,
      trace: current.state === State.FAILED ? (current.trace ?? null) : null,
      worker_id: this.workerId,
      generation: this.member.generationId,
    };
    const text = JSON.stringify(status);
    if (this.written.get(key) === text) return;
    this.written.set(key, text);
    await put(status);
  }

  // ---- the REST API ----

  private isLeader(): boolean {
    return this.member.isLeader && this.assignment !== undefined && !this.member.rejoinNeeded;
  }

  /**
   * Writes happen on the leader: anywhere else the REST layer forwards the request to it. During
   * a rebalance nobody knows the leader, so the request waits for the group to settle (as
   * Kafka's queued herder requests do) for up to `rebalance.timeout.ms`, then gets Kafka's 409.
   */
  private async requireLeader(): Promise<void> {
    const deadline = Date.now() + this.config.rebalanceTimeoutMs;
    while ((this.member.rejoinNeeded || this.assignment === undefined) && Date.now() < deadline && !this.stopping) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.isLeader()) return;
    throw new NotLeaderException(this.member.rejoinNeeded ? undefined : this.assignment?.leaderUrl);
  }

  connectorNames(): string[] {
    return this.view.connectorNames();
  }

  /** KIP-976: any worker writes the level (no leader needed); each applies it on reading it back. */
  setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    return this.configStore.putLoggerLevel(namespace, level);
  }

  private connectorConfig(name: string, message?: string): Props {
    return this.view.connectorConfig(name, message);
  }

  info(name: string): ConnectorInfo {
    return this.view.info(name);
  }

  status(name: string): ConnectorStateInfo {
    return this.view.status(name);
  }

  taskStatus(name: string, id: number): StateInfo & { id: number } {
    return this.view.taskStatus(name, id);
  }

  taskConfigs(name: string): { id: { connector: string; task: number }; config: Props }[] {
    return this.view.taskConfigs(name);
  }

  topics(name: string): string[] {
    return this.runtime.topics(name);
  }

  resetTopics(name: string): void {
    this.connectorConfig(name, `Unknown connector ${name}`);
    this.runtime.resetTopics(name);
  }

  validate(config: Props, pluginName?: string): ConfigInfos {
    const infos = validateConnectorConfig(this.plugins, config, pluginName);
    const plugin = this.plugins.find(config['connector.class'] ?? '');
    if (plugin?.type !== 'source') return infos;
    const connector = new plugin.ctor() as SourceConnector;
    return withExactlyOnceValidation(infos, config, this.config.exactlyOnceSourceSupport, connector);
  }

  async putConnectorConfig(
    name: string,
    config: Props,
    allowReplace: boolean,
    initialState?: InitialState,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    const full: Record<string, string> = { ...config, name };
    const plugin = ensureValidConnectorConfig(this.plugins, full);
    if (plugin.type === 'source') {
      // KIP-618's checks, which only a distributed worker makes (Kafka's DistributedHerder).
      const connector = new plugin.ctor() as SourceConnector;
      const messages = Object.values(
        validateExactlyOnceSettings(full, this.config.exactlyOnceSourceSupport, connector),
      ).flat();
      if (messages.length > 0) throw invalidConnectorConfig(messages);
    }
    await this.requireLeader();
    await this.configStore.refresh();
    const exists = this.configStore.connectorConfigs.has(name);
    if (exists && !allowReplace) throw alreadyExists(`Connector ${name} already exists`);
    const target =
      exists || initialState === undefined ? undefined : initialState === 'RUNNING' ? 'STARTED' : initialState;
    await this.configStore.putConnectorConfig(name, full, target);
    await this.configStore.refresh();
    return { created: !exists, info: this.info(name) };
  }

  async patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo> {
    const merged: Record<string, string> = { ...this.connectorConfig(name) };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    return (await this.putConnectorConfig(name, merged, true)).info;
  }

  async deleteConnector(name: string): Promise<void> {
    await this.requireLeader();
    await this.configStore.refresh();
    this.connectorConfig(name);
    const taskCount = this.configStore.taskConfigs.get(name)?.length ?? 0;
    await this.configStore.removeConnectorConfig(name);
    await this.statusStore.deleteConnector(name, taskCount);
    await this.configStore.refresh();
  }

  private async putTargetState(name: string, state: 'STARTED' | 'PAUSED' | 'STOPPED'): Promise<void> {
    await this.requireLeader();
    await this.configStore.refresh();
    this.connectorConfig(name, `Unknown connector ${name}`);
    await this.configStore.putTargetState(name, state);
    // KIP-875: a stopped connector has no tasks.
    if (state === 'STOPPED') await this.writeTaskConfigs(name, []);
    await this.configStore.refresh();
  }

  pause(name: string): Promise<void> {
    if (this.configStore.targetStates.get(name) === 'STOPPED') return Promise.resolve();
    return this.putTargetState(name, 'PAUSED');
  }

  resume(name: string): Promise<void> {
    return this.putTargetState(name, 'STARTED');
  }

  stopConnectorCommand(name: string): Promise<void> {
    return this.putTargetState(name, 'STOPPED');
  }

  /** Any worker answers, once it has read the offset topic to its end. */
  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const config = this.connectorConfig(name);
    if (this.plugins.find(config['connector.class'] ?? '')?.type === 'source') await this.offsetStore.readToEnd();
    return readConnectorOffsets(this.offsetsContext(name, config));
  }

  /**
   * On the leader, as in Kafka: it has the latest config topic, so it knows the connector is
   * STOPPED with no tasks left, and its offset store writes to the topic every worker reads.
   */
  async modifyConnectorOffsets(name: string, offsets: readonly ConnectorOffset[] | null): Promise<string> {
    await this.requireLeader();
    await this.configStore.refresh();
    const config = this.connectorConfig(name);
    const tasks = this.configStore.taskConfigs.get(name)?.length ?? 0;
    if (this.configStore.targetStates.get(name) !== 'STOPPED' || tasks !== 0) {
      throw new ConnectRestException(400, notStoppedMessage(name));
    }
    return this.serial(() => modifyConnectorOffsets(this.offsetsContext(name, config), offsets));
  }

  private offsetsContext(name: string, config: Props): ConnectorOffsetsContext {
    const plugin = this.plugins.find(config['connector.class'] ?? '');
    // Configs are validated against the plugins before they are stored; another worker's may differ.
    if (plugin === undefined)
      throw new ConnectRestException(500, `Unknown connector class ${config['connector.class']}`);
    return {
      name,
      config,
      plugin,
      offsets: this.offsetStore,
      flush: () => this.offsetStore.flush(),
      adminProps: adminClientProps(this.config.worker),
    };
  }

  /** Kafka's internal `POST /connectors/<name>/tasks`: the leader stores a connector's task configs. */
  async putTaskConfigs(name: string, configs: Props[], signature?: InternalRequestSignature): Promise<void> {
    await this.requireLeader();
    if (this.protocolInUse === SESSIONED_PROTOCOL_NAME) {
      // KIP-507: only a worker holding the cluster's session key may write task configs.
      verifyInternalRequest(
        signature ?? { algorithm: undefined, signature: undefined, body: '' },
        this.configStore.sessionKey?.key,
        this.config.interWorker.verificationAlgorithms,
      );
    }
    this.connectorConfig(name);
    await this.writeTaskConfigs(name, configs);
  }

  /**
   * Restarts what runs on this worker; a connector running elsewhere is restarted by its worker
   * (the REST layer forwards the request to the `worker_id` in its status).
   */
  restartConnector(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<ConnectorStateInfo> {
    const message = includeTasks || onlyFailed ? `Unknown connector: ${name}` : undefined;
    this.connectorConfig(name, message);
    return this.serial(async () => {
      const local = this.runtime.connectors.get(name);
      if (local === undefined) {
        const owner = this.statusStore.connectors.get(name)?.worker_id;
        if (owner !== undefined && owner !== this.workerId) throw new NotLeaderException(`http://${owner}/`);
        throw new ConnectRestException(
          409,
          'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
        );
      }
      const restartConnector = !onlyFailed || local.state === State.FAILED;
      const localTasks = [...this.runtime.tasks.values()].filter((t) => t.connector === name);
      const restartTasks = includeTasks ? localTasks.filter((t) => !onlyFailed || t.task.state === State.FAILED) : [];
      const plan = this.status(name);
      if (restartConnector) plan.connector.state = State.RESTARTING;
      for (const t of plan.tasks) if (restartTasks.some((r) => r.id === t.id)) t.state = State.RESTARTING;
      if (restartConnector) {
        await this.runtime.stopConnector(name);
        await this.runtime.startConnector(name);
      }
      for (const t of restartTasks) await this.runtime.restartTask(name, t.id);
      return plan;
    });
  }

  restartTask(name: string, id: number): Promise<void> {
    this.connectorConfig(name);
    if (this.configStore.taskConfigs.get(name)?.[id] === undefined) throw notFound(`Task ${name}-${id} not found`);
    return this.serial(async () => {
      if (!this.runtime.tasks.has(`${name}-${id}`)) {
        const owner = this.statusStore.tasks.get(name)?.get(id)?.worker_id;
        if (owner !== undefined && owner !== this.workerId) throw new NotLeaderException(`http://${owner}/`);
        throw new ConnectRestException(
          409,
          'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
        );
      }
      await this.runtime.restartTask(name, id);
    });
  }
}

const taskName = (t: ConnectorTaskId) => `${t.connector}-${t.task}`;

/** Task configs compared as Kafka does: the same maps in the same order. */
function sameTaskConfigs(a: readonly Props[], b: readonly Props[]): boolean {
  if (a.length !== b.length) return false;
  const canonical = (p: Props) => JSON.stringify(Object.entries(p).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return a.every((config, i) => canonical(config) === canonical(b[i]!));
}

/** Top-level security and client settings a worker passes to its internal clients, as in Kafka. */
function sharedClientProps(props: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (/^(security\.protocol|sasl\.|ssl\.)/.test(k)) out[k] = v;
  }
  return out;
}
