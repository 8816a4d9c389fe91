/** Kafka Streams' `EmitStrategy.StrategyType`. */
export const StrategyType = {
  /** Every update of a window goes downstream (through the record cache when there is one). */
  ON_WINDOW_UPDATE: 'ON_WINDOW_UPDATE',
  /** A window's final result goes downstream once, when the window closes (KIP-825). */
  ON_WINDOW_CLOSE: 'ON_WINDOW_CLOSE',
} as const;
export type StrategyType = (typeof StrategyType)[keyof typeof StrategyType];

/**
 * Kafka Streams' `EmitStrategy` (KIP-825): when a windowed aggregation emits. `onWindowClose()`
 * gives final results without a `suppress` buffer: the aggregation's own store holds the windows
 * until they close.
 */
export class EmitStrategy {
  private static readonly update = new EmitStrategy(StrategyType.ON_WINDOW_UPDATE);
  private static readonly close = new EmitStrategy(StrategyType.ON_WINDOW_CLOSE);

  private constructor(private readonly strategyType: StrategyType) {}

  static onWindowUpdate(): EmitStrategy {
    return EmitStrategy.update;
  }

  static onWindowClose(): EmitStrategy {
    return EmitStrategy.close;
  }

  type(): StrategyType {
    return this.strategyType;
  }
}

/**
 * Java's internal `__emit.interval.ms.kstreams.windowed.aggregation__`: how often (wall-clock) an
 * ON_WINDOW_CLOSE aggregation looks for newly closed windows; 1000 ms by default.
 */
export const EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION = '__emit.interval.ms.kstreams.windowed.aggregation__';
