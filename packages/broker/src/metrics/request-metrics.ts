import { ApiKey, apiName } from '@samsa/protocol';

/**
 * Upper bounds (ms) of the request-time histogram buckets: sub-millisecond produce acks up to the
 * long polls of fetch.max.wait.ms and the minutes a JoinGroup may wait.
 */
export const REQUEST_TIME_BUCKETS_MS: readonly number[] = [
  0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
];

/** One request name's counters (Kafka's RequestMetrics MBeans of that `request` tag). */
export class ApiRequestStats {
  /** Requests by API version (RequestsPerSec{version}); an array, not a Map: one index per request. */
  readonly byVersion: number[] = [];
  /** Non-cumulative bucket counts; the last slot is +Inf. */
  readonly buckets = new Float64Array(REQUEST_TIME_BUCKETS_MS.length + 1);
  totalTimeMsSum = 0;
  count = 0;
  /** Requests answered with a request-level error, by error code (ErrorsPerSec{error}). */
  readonly errors = new Map<number, number>();

  constructor(readonly name: string) {}

  record(version: number, totalTimeMs: number): void {
    this.byVersion[version] = (this.byVersion[version] ?? 0) + 1;
    let i = 0;
    while (i < REQUEST_TIME_BUCKETS_MS.length && totalTimeMs > (REQUEST_TIME_BUCKETS_MS[i] as number)) i++;
    this.buckets[i] = (this.buckets[i] as number) + 1;
    this.totalTimeMsSum += totalTimeMs;
    this.count++;
  }
}

/**
 * Kafka's `kafka.network:type=RequestMetrics` per request name: how many (by version), how long
 * from receipt to response (TotalTimeMs), and with which errors. Fetches are counted as `Fetch`
 * and again as `FetchConsumer` or `FetchFollower`, as Kafka's RequestChannel does, so dashboards
 * can tell client reads from replication.
 */
export class RequestMetrics {
  private readonly byKey: (ApiRequestStats | undefined)[] = [];
  readonly fetchConsumer = new ApiRequestStats('FetchConsumer');
  readonly fetchFollower = new ApiRequestStats('FetchFollower');

  /** The counters of `apiKey`, created on its first request. */
  api(apiKey: number): ApiRequestStats {
    let stats = this.byKey[apiKey];
    if (stats === undefined) {
      stats = new ApiRequestStats(apiName(apiKey));
      this.byKey[apiKey] = stats;
    }
    return stats;
  }

  /** `replicaId` tells a follower's fetch (≥ 0) from a consumer's; ignored for other APIs. */
  record(apiKey: number, version: number, totalTimeMs: number, replicaId: number): void {
    this.api(apiKey).record(version, totalTimeMs);
    if (apiKey === ApiKey.Fetch) {
      (replicaId >= 0 ? this.fetchFollower : this.fetchConsumer).record(version, totalTimeMs);
    }
  }

  recordError(apiKey: number, errorCode: number): void {
    const errors = this.api(apiKey).errors;
    errors.set(errorCode, (errors.get(errorCode) ?? 0) + 1);
  }

  /** Every request name seen so far. */
  *all(): IterableIterator<ApiRequestStats> {
    for (const stats of this.byKey) if (stats !== undefined) yield stats;
    if (this.fetchConsumer.count > 0) yield this.fetchConsumer;
    if (this.fetchFollower.count > 0) yield this.fetchFollower;
  }
}
