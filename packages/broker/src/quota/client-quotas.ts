import { ApiKey } from '@samsa/protocol';
import type { ClientQuotaConfigs } from './client-quota-configs.js';
import { ClientQuotaManager, type QuotaWindow } from './client-quota-manager.js';

/** What a handled request cost, for the quotas (KIP-13 bytes, KIP-124 request time). */
export interface RequestUsage {
  readonly apiKey: number;
  readonly user: string;
  readonly clientId: string;
  /** The request frame's size (Produce). */
  readonly requestBytes: number;
  /** The response's size (Fetch); computed only when a consumer quota applies. */
  readonly responseBytes: () => number;
  /** Time spent in the handler itself, in ms. */
  readonly handlerMs: number;
  /** A follower's fetch (replica id ≥ 0): replication is never throttled by client quotas. */
  readonly replicaFetch: boolean;
}

/** APIs Kafka never throttles by request time: the cluster's own and those before authentication. */
const REQUEST_QUOTA_EXEMPT: ReadonlySet<number> = new Set([
  ApiKey.ApiVersions,
  ApiKey.SaslHandshake,
  ApiKey.SaslAuthenticate,
  ApiKey.LeaderAndIsr,
  ApiKey.StopReplica,
  ApiKey.UpdateMetadata,
  ApiKey.ControlledShutdown,
  ApiKey.WriteTxnMarkers,
  ApiKey.AlterPartition,
]);

/**
 * The three client quotas together: `producer_byte_rate` on Produce, `consumer_byte_rate` on
 * Fetch, `request_percentage` on every API but the exempt ones. A request over any of them is
 * throttled for the longest throttle time: the response carries it (`throttle_time_ms`) and the
 * connection reads nothing more until it has passed (KIP-219), so quotas slow clients down rather
 * than fail them.
 */
export class ClientQuotas {
  private readonly produce: ClientQuotaManager;
  private readonly fetch: ClientQuotaManager;
  private readonly request: ClientQuotaManager;

  constructor(
    readonly configs: ClientQuotaConfigs,
    window: QuotaWindow,
  ) {
    this.produce = new ClientQuotaManager('producer_byte_rate', configs, window);
    this.fetch = new ClientQuotaManager('consumer_byte_rate', configs, window);
    // request_percentage: 100 is one thread's whole time, 1000 ms of handler time per second.
    this.request = new ClientQuotaManager('request_percentage', configs, window, 10);
  }

  /** Whether any quota is configured; when not, nothing is measured at all. */
  get active(): boolean {
    return !this.configs.isEmpty;
  }

  throttleTimeMs(usage: RequestUsage, nowMs: number): number {
    const { user, clientId } = usage;
    let throttleMs = 0;
    if (usage.apiKey === ApiKey.Produce) {
      throttleMs = this.produce.recordAndGetThrottleTimeMs(user, clientId, usage.requestBytes, nowMs);
    } else if (usage.apiKey === ApiKey.Fetch && !usage.replicaFetch) {
      if (this.configs.resolve(user, clientId, 'consumer_byte_rate') !== undefined) {
        throttleMs = this.fetch.recordAndGetThrottleTimeMs(user, clientId, usage.responseBytes(), nowMs);
      }
    }
    if (!REQUEST_QUOTA_EXEMPT.has(usage.apiKey) && !usage.replicaFetch) {
      throttleMs = Math.max(
        throttleMs,
        this.request.recordAndGetThrottleTimeMs(user, clientId, usage.handlerMs, nowMs),
      );
    }
    return throttleMs;
  }
}
