import type { ClientQuotaConfigs } from './client-quota-configs.js';
import type { QuotaKey } from './client-quota-entity.js';
import { SampledRate } from './sampled-rate.js';

export interface QuotaWindow {
  /** quota.window.num */
  readonly numSamples: number;
  /** quota.window.size.seconds, in ms */
  readonly sampleWindowMs: number;
}

/**
 * One kind of client quota (Kafka's ClientQuotaManager): produce bytes, fetch bytes, or request
 * time. Values are recorded per sensor (the clients sharing the matched quota); a sensor over its
 * bound yields the throttle time that brings its rate back to the bound:
 * (rate − bound) ÷ bound × window, at most one full window.
 */
export class ClientQuotaManager {
  private readonly sensors = new Map<string, SampledRate>();
  private lastSweepMs = 0;

  constructor(
    private readonly key: QuotaKey,
    private readonly configs: ClientQuotaConfigs,
    private readonly window: QuotaWindow,
    /** request_percentage is a percentage of one thread's time: its bound in ms per second is ×10. */
    private readonly boundScale = 1,
  ) {}

  /** Records `value` for the client; returns how long it must be throttled (0: within its quota). */
  recordAndGetThrottleTimeMs(user: string, clientId: string, value: number, nowMs: number): number {
    const quota = this.configs.resolve(user, clientId, this.key);
    if (quota === undefined) return 0;
    let sensor = this.sensors.get(quota.sensorKey);
    if (sensor === undefined) {
      sensor = new SampledRate(this.window.numSamples, this.window.sampleWindowMs);
      this.sensors.set(quota.sensorKey, sensor);
    }
    sensor.record(value, nowMs);
    this.sweep(nowMs);
    const bound = quota.bound * this.boundScale;
    const rate = sensor.rate(nowMs);
    if (rate <= bound || bound <= 0) return bound <= 0 && value > 0 ? this.maxThrottleMs : 0;
    const throttleMs = ((rate - bound) / bound) * sensor.windowMs(nowMs);
    return Math.min(Math.ceil(throttleMs), this.maxThrottleMs);
  }

  private get maxThrottleMs(): number {
    return this.window.numSamples * this.window.sampleWindowMs;
  }

  /** Drops sensors idle for a whole window, so that short-lived client ids do not pile up. */
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    for (const [key, sensor] of this.sensors) if (sensor.isIdle(nowMs)) this.sensors.delete(key);
  }
}
