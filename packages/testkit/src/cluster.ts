import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess } from './broker-process.js';
import { freePort } from './free-port.js';
import { ZooKeeperProcess } from './zookeeper-process.js';

export interface ClusterOptions {
  /** Number of brokers, ids 0..n-1 (default 3). */
  readonly brokers?: number;
  /** server.properties entries for every broker (after the harness's own). */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Listeners besides PLAINTEXT on the broker's fixed port, e.g. `SASL_SSL://127.0.0.1:0` (port 0:
   * a free one each start; BrokerProcess.portOf tells which). Their TLS/SASL settings go in `properties`.
   */
  readonly extraListeners?: readonly string[];
  /** Per-broker entries, by broker id. */
  readonly brokerProperties?: Readonly<Record<number, Readonly<Record<string, string | number | boolean>>>>;
  /** The ZooKeeper chroot the cluster lives under (default /samsa). */
  readonly chroot?: string;
  readonly startTimeoutMs?: number;
  /** Where the cluster's temp dir is made (default os.tmpdir()); benchmarks use the disk they measure. */
  readonly parentDir?: string;
  /** Another build's broker `main.js`, for every broker (default BROKER_MAIN). */
  readonly brokerMain?: string;
  /** Node flags per broker id (e.g. `--cpu-prof` for the brokers a benchmark profiles). */
  readonly nodeArgs?: (brokerId: number) => readonly string[];
}

/**
 * A ZooKeeper cluster of Samsa brokers on loopback, each in its own process with its own port and
 * data dir — the harness of the cluster and fault tests. Brokers keep their port and data across
 * restarts, so clients' bootstrap lists stay valid; they can be stopped (SIGTERM, controlled
 * shutdown), killed (SIGKILL), paused (SIGSTOP) and restarted.
 *
 * Needs Debian's `zookeeper` package (and Java); fails with an install hint without it.
 */
export class KafkaCluster {
  private readonly processes = new Map<number, BrokerProcess>();

  private constructor(
    readonly zookeeper: ZooKeeperProcess,
    readonly chroot: string,
    private readonly dataDir: string,
    readonly ports: ReadonlyMap<number, number>,
    private readonly properties: (brokerId: number) => Record<string, string | number | boolean>,
    private readonly startTimeoutMs: number,
    /** How broker processes are launched (brokerMain, nodeArgs). */
    private readonly launch: ClusterOptions,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<KafkaCluster> {
    // A port freePort() handed out can be taken (as the local port of some outgoing connection)
    // before the broker binds it: start again on fresh ports rather than fail the run.
    for (let attempt = 1; ; attempt++) {
      try {
        return await KafkaCluster.startOnce(options);
      } catch (err) {
        if (attempt >= 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
      }
    }
  }

  private static async startOnce(options: ClusterOptions): Promise<KafkaCluster> {
    const count = options.brokers ?? 3;
    const zookeeper = await ZooKeeperProcess.start();
    const dataDir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'samsa-cluster-'));
    const chroot = options.chroot ?? '/samsa';
    const ports = new Map<number, number>();
    for (let id = 0; id < count; id++) ports.set(id, await freePort());
    const properties = (id: number): Record<string, string | number | boolean> => ({
      'broker.id': id,
      'zookeeper.connect': `${zookeeper.connectString}${chroot}`,
      'zookeeper.session.timeout.ms': 6000,
      'offsets.topic.replication.factor': Math.min(3, count),
      'transaction.state.log.replication.factor': Math.min(3, count),
      'transaction.state.log.min.isr': Math.min(2, count),
      'default.replication.factor': 1,
      'controlled.shutdown.retry.backoff.ms': 500,
      'controlled.shutdown.max.retries': 3,
      ...(options.extraListeners === undefined
        ? {}
        : { listeners: [`PLAINTEXT://127.0.0.1:${ports.get(id)}`, ...options.extraListeners].join(',') }),
      ...options.properties,
      ...options.brokerProperties?.[id],
    });
    const startTimeoutMs = options.startTimeoutMs ?? 60000;
    const cluster = new KafkaCluster(zookeeper, chroot, dataDir, ports, properties, startTimeoutMs, options);
    // allSettled, not all: a broker that fails must not leave the others starting unseen, to be
    // registered after close() and outlive the run (their pipes then keep the runner alive).
    const started = await Promise.allSettled([...ports.keys()].map((id) => cluster.startBroker(id)));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await cluster.close();
      throw failed.reason;
    }
    return cluster;
  }

  /** `host:port` of every broker, for a client's bootstrap list. */
  get bootstrap(): string {
    return [...this.ports.values()].map((p) => `127.0.0.1:${p}`).join(',');
  }

  get zookeeperConnect(): string {
    return `${this.zookeeper.connectString}${this.chroot}`;
  }

  get brokerIds(): number[] {
    return [...this.ports.keys()];
  }

  broker(id: number): BrokerProcess {
    const process = this.processes.get(id);
    if (process === undefined) throw new Error(`broker ${id} is not running`);
    return process;
  }

  isRunning(id: number): boolean {
    return this.processes.get(id)?.alive === true;
  }

  /** Starts (or restarts) a broker with its port and data dir. */
  async startBroker(id: number): Promise<BrokerProcess> {
    const port = this.ports.get(id);
    if (port === undefined) throw new Error(`no broker ${id} in this cluster`);
    const dataDir = join(this.dataDir, `broker-${id}`);
    mkdirSync(dataDir, { recursive: true });
    const process = await BrokerProcess.start({
      dataDir,
      port,
      properties: this.properties(id),
      startTimeoutMs: this.startTimeoutMs,
      ...(this.launch.brokerMain === undefined ? {} : { brokerMain: this.launch.brokerMain }),
      nodeArgs: this.launch.nodeArgs?.(id) ?? [],
    });
    this.processes.set(id, process);
    return process;
  }

  /** SIGKILL: no controlled shutdown, no flush; its ZooKeeper session expires on its own. */
  async kill(id: number): Promise<void> {
    await this.processes.get(id)?.kill();
  }

  /** SIGTERM: controlled shutdown, then a clean stop. */
  async stop(id: number): Promise<number | null | undefined> {
    return this.processes.get(id)?.stop();
  }

  pause(id: number): void {
    this.broker(id).pause();
  }

  resume(id: number): void {
    this.broker(id).resume();
  }

  async restart(id: number): Promise<BrokerProcess> {
    await this.stop(id);
    return this.startBroker(id);
  }

  /** Everything every broker printed, for failure messages. */
  logs(): string {
    return [...this.processes].map(([id, p]) => `--- broker ${id} ---\n${p.logs}`).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.kill()));
    await this.zookeeper.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
