/**
 * What a leader knows of one follower (Kafka's Replica state): its log end offset, taken from its
 * fetch offset, and when it was last caught up — the clock of replica.lag.time.max.ms.
 *
 * "Caught up" follows Kafka: a fetch from at least the leader's end offset at that moment, or from
 * at least the leader's end offset at the follower's previous fetch (it has everything that
 * existed then, so it was caught up then).
 */
export class FollowerState {
  /** -1 until the follower's first fetch under this leadership. */
  logEndOffset = -1;
  private lastFetchLeaderLogEndOffset = -1;
  private lastFetchTimeMs = 0;

  constructor(public lastCaughtUpTimeMs: number) {}

  onFetch(fetchOffset: number, leaderLogEndOffset: number, nowMs: number): void {
    this.logEndOffset = fetchOffset;
    if (fetchOffset >= leaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, nowMs);
    } else if (fetchOffset >= this.lastFetchLeaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, this.lastFetchTimeMs);
    }
    this.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    this.lastFetchTimeMs = nowMs;
  }
}
