import type { Logger } from '../../logger.js';
import { InterBrokerClient } from '../../network/inter-broker-client.js';
import type { InterBrokerSecurity } from '../../network/inter-broker-security.js';
import type { BrokerInfo } from '../../zk/zk-data.js';

/** A request for one broker: the controller's LeaderAndIsr, UpdateMetadata and StopReplica. */
export interface ControllerRequest {
  readonly apiKey: number;
  readonly version: number;
  readonly body: unknown;
  /** Called with the response once the broker answered. */
  readonly onResponse?: (response: unknown) => void;
}

interface BrokerChannel {
  readonly client: InterBrokerClient;
  /** Requests go out one at a time, in the order queued (Kafka's RequestSendThread). */
  tail: Promise<void>;
  removed: boolean;
}

/**
 * The controller's connections to the live brokers. Requests to one broker are sent one at a time
 * in order — a LeaderAndIsr must reach a broker before the UpdateMetadata that follows it — and
 * retried after a network failure for as long as the broker is registered, as Kafka's
 * ControllerChannelManager does. A broker removed (dead, or the controller resigned) gets nothing
 * more; what was queued for it is dropped.
 */
export class ControllerChannelManager {
  private readonly channels = new Map<number, BrokerChannel>();

  constructor(
    private readonly controllerId: number,
    private readonly listenerName: string,
    private readonly requestTimeoutMs: number,
    private readonly logger: Logger,
    private readonly security?: InterBrokerSecurity,
  ) {}

  addBroker(info: BrokerInfo): void {
    if (this.channels.has(info.brokerId)) return;
    const endpoint = info.endpoints.find((e) => e.listenerName === this.listenerName) ?? info.endpoints[0];
    if (endpoint === undefined) {
      this.logger.error(`broker ${info.brokerId} registered no endpoint; the controller cannot reach it`);
      return;
    }
    const client = new InterBrokerClient({
      host: endpoint.host === '' ? '127.0.0.1' : endpoint.host,
      port: endpoint.port,
      clientId: `controller-${this.controllerId}-to-broker-${info.brokerId}`,
      requestTimeoutMs: this.requestTimeoutMs,
      security: this.security,
    });
    this.channels.set(info.brokerId, { client, tail: Promise.resolve(), removed: false });
  }

  removeBroker(brokerId: number): void {
    const channel = this.channels.get(brokerId);
    if (channel === undefined) return;
    channel.removed = true;
    channel.client.close();
    this.channels.delete(brokerId);
  }

  hasBroker(brokerId: number): boolean {
    return this.channels.has(brokerId);
  }

  /** Queues a request for a broker; dropped silently if the broker is not (or no longer) live. */
  send(brokerId: number, request: ControllerRequest): void {
    const channel = this.channels.get(brokerId);
    if (channel === undefined) {
      this.logger.debug(`not sending ${request.apiKey} to broker ${brokerId}: it is not live`);
      return;
    }
    channel.tail = channel.tail.then(() => this.deliver(brokerId, channel, request));
  }

  private async deliver(brokerId: number, channel: BrokerChannel, request: ControllerRequest): Promise<void> {
    for (let attempt = 0; !channel.removed; attempt++) {
      try {
        const response = await channel.client.send(request.apiKey, request.version, request.body);
        request.onResponse?.(response);
        return;
      } catch (err) {
        if (channel.removed) return;
        if (attempt % 10 === 0) {
          this.logger.warn(
            { reason: (err as Error).message },
            `controller request ${request.apiKey} to broker ${brokerId} failed; retrying`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(attempt, 4), 1000)));
      }
    }
  }

  shutdown(): void {
    for (const brokerId of [...this.channels.keys()]) this.removeBroker(brokerId);
  }
}
