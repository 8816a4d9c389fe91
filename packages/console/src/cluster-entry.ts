import { Admin, Producer } from '@samsa/client';
import { ConnectClient, type ConnectConfig } from './connect-client.js';
import { HttpError } from './http-error.js';

/** How a cluster is configured: a name (its URL segment) and the client properties to reach it. */
export interface ClusterConfig {
  readonly name: string;
  readonly bootstrapServers: string;
  /** Extra client properties (security.protocol, sasl.*, …), Kafka's names. */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * The port of every broker's Prometheus endpoint (Samsa's metrics.listener, or Kafka's JMX
   * exporter), reached on the broker's advertised host: bytes out per second is read there.
   */
  readonly metricsPort?: number;
  /** Kafka Connect clusters writing to or reading from this cluster (kafka-ui's kafkaConnect list). */
  readonly connect?: readonly ConnectConfig[];
}

/**
 * One named cluster the console manages, as CMAK lists them. It owns one Admin and, once a
 * message is produced, one Producer; browsing creates a short-lived Consumer per request because
 * a consumer's assignment is per caller. Closed once, by the server.
 */
export class ClusterEntry {
  readonly admin: Admin;
  private producer: Producer<Buffer, Buffer> | undefined;

  constructor(readonly config: ClusterConfig) {
    this.admin = new Admin(this.clientProperties('samsa-console-admin'));
  }

  get name(): string {
    return this.config.name;
  }

  /** The Connect cluster of that name, or a 404. */
  connect(name: string): ConnectClient {
    const found = (this.config.connect ?? []).find((c) => c.name === name);
    if (found === undefined) throw new HttpError(404, `unknown Kafka Connect '${name}' of cluster '${this.name}'`);
    return new ConnectClient(found);
  }

  clientProperties(clientId: string): Record<string, string> {
    return { 'bootstrap.servers': this.config.bootstrapServers, 'client.id': clientId, ...this.config.properties };
  }

  /** The cluster's producer, created on first use (most sessions never produce). */
  async producerOf(): Promise<Producer<Buffer, Buffer>> {
    if (this.producer === undefined) {
      this.producer = new Producer<Buffer, Buffer>({
        ...this.clientProperties('samsa-console-producer'),
        keySerializer: 'buffer',
        valueSerializer: 'buffer',
      });
    }
    return this.producer;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.admin.close(), this.producer?.close()]);
  }
}
