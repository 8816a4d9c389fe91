// The Samsa brokers a test scenario runs against: one broker (BrokerProcess, no ZooKeeper), or a
// KafkaCluster of N brokers on a real ZooKeeper, as the suite's trivup clusters are.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerProcess, freePort, KafkaCluster } from '@samsa/testkit';

/**
 * One scenario's brokers for the whole run. `ensureRunning()` before each test brings back a
 * broker that a test brought down: a single broker is replaced by a fresh one (a new port, so the
 * bootstrap changes), a cluster's dead broker restarts on its port with its data, as an operator
 * would restart it. Concurrent callers share one restart; each crash is reported once, through
 * `onCrash(label, logs)`, before the restart.
 */
export class ScenarioBrokers {
  /** @type {BrokerProcess | undefined} */ #single;
  /** @type {KafkaCluster | undefined} */ #cluster;
  /** @type {Promise<void> | undefined} */ #restarting;
  /** Listener name → the port of each broker (by id), when the scenario names its listeners. */
  /** @type {Map<string, number[]>} */ #ports = new Map();

  constructor(options) {
    this.options = options;
  }

  /**
   * @param options {{ scenario: string, brokers: number, properties: object,
   *   brokerProperties?: (id: number) => object, listeners?: string[],
   *   onCrash: (label: string, logs: string) => void }}
   *   `listeners`: names of the listeners every broker has (PLAINTEXT first, the inter-broker
   *   one), each on a port of its own that the broker keeps across restarts; PLAINTEXT alone
   *   otherwise.
   */
  static async start(options) {
    // A port freePort() handed out can be taken (as the local port of an outgoing connection)
    // before a broker binds it: start again on fresh ports rather than fail the run.
    for (let attempt = 1; ; attempt++) {
      const brokers = new ScenarioBrokers(options);
      try {
        await brokers.#startAll();
        return brokers;
      } catch (err) {
        if (attempt >= 3 || !String(err?.message).includes('EADDRINUSE')) throw err;
      }
    }
  }

  async #startAll() {
    const { brokers, properties, brokerProperties, listeners } = this.options;
    for (const name of listeners ?? []) {
      const ports = [];
      for (let id = 0; id < brokers; id++) ports.push(await freePort());
      this.#ports.set(name, ports);
    }
    if (brokers === 1) {
      this.#single = await BrokerProcess.start({ properties: this.#singleProperties() });
      return;
    }
    const perBroker = {};
    for (let id = 0; id < brokers; id++) perBroker[id] = { ...brokerProperties?.(id), ...this.#listenersOf(id) };
    // Cluster brokers wait for the controller's first UpdateMetadata before they report started;
    // on 2 busy cores that can take longer than the harness's default minute.
    this.#cluster = await KafkaCluster.start({
      brokers,
      properties,
      brokerProperties: perBroker,
      startTimeoutMs: 120000,
    });
  }

  /** `listeners` of broker `id` when the scenario names its listeners. */
  #listenersOf(id) {
    if (this.#ports.size === 0) return {};
    return { listeners: [...this.#ports].map(([name, ports]) => `${name}://127.0.0.1:${ports[id]}`).join(',') };
  }

  #singleProperties() {
    return { ...this.options.properties, ...this.#listenersOf(0) };
  }

  /** The bootstrap list for clients (every broker of a cluster), of the PLAINTEXT listener. */
  get bootstrap() {
    if (this.#ports.size > 0) return this.bootstrapOf('PLAINTEXT');
    return this.#single?.bootstrap ?? this.#cluster?.bootstrap ?? '';
  }

  /** The bootstrap list of a listener the scenario named. */
  bootstrapOf(listener) {
    const ports = this.#ports.get(listener);
    if (ports === undefined) throw new Error(`scenario ${this.options.scenario} has no listener ${listener}`);
    return ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** `<scenario>` for a single broker, `<scenario>-<id>` for each broker of a cluster. */
  #label(id) {
    return id === undefined ? this.options.scenario : `${this.options.scenario}-${id}`;
  }

  async ensureRunning() {
    this.#restarting ??= this.#restartDead().finally(() => {
      this.#restarting = undefined;
    });
    return this.#restarting;
  }

  async #restartDead() {
    if (this.#single !== undefined) {
      if (this.#single.alive) return;
      this.options.onCrash(this.#label(), this.#single.logs);
      await this.#single.close();
      this.#single = await BrokerProcess.start({ properties: this.#singleProperties() });
      return;
    }
    const cluster = this.#cluster;
    if (cluster === undefined) return;
    for (const id of cluster.brokerIds) {
      if (cluster.isRunning(id)) continue;
      this.options.onCrash(this.#label(id), cluster.broker(id).logs);
      await cluster.startBroker(id);
    }
  }

  /** Writes `broker-<label>.log` for each broker into `dir`. */
  writeLogs(dir) {
    if (this.#single !== undefined) writeFileSync(join(dir, `broker-${this.#label()}.log`), this.#single.logs);
    const cluster = this.#cluster;
    for (const id of cluster?.brokerIds ?? []) {
      writeFileSync(join(dir, `broker-${this.#label(id)}.log`), cluster?.broker(id).logs ?? '');
    }
  }

  async close() {
    await this.#single?.close();
    await this.#cluster?.close();
  }
}
