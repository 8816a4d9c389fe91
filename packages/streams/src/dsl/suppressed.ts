/**
 * Kafka Streams' `Suppressed.BufferConfig`: how much a suppression may hold (records, bytes or
 * unbounded) and what it does when full — emit the oldest early, or stop the application
 * (`shutDownWhenFull`, the only choices `untilWindowCloses` takes, Java's StrictBufferConfig).
 */
export class BufferConfig {
  private constructor(
    readonly maxRecordsValue: number,
    readonly maxBytesValue: number,
    readonly bufferFullStrategy: 'EMIT' | 'SHUT_DOWN',
    readonly loggingEnabled: boolean,
    readonly logConfig: { readonly [key: string]: string },
  ) {}

  static maxRecords(recordLimit: number): BufferConfig {
    return new BufferConfig(recordLimit, Number.POSITIVE_INFINITY, 'EMIT', true, {});
  }

  static maxBytes(byteLimit: number): BufferConfig {
    return new BufferConfig(Number.POSITIVE_INFINITY, byteLimit, 'EMIT', true, {});
  }

  static unbounded(): BufferConfig {
    return new BufferConfig(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 'SHUT_DOWN', true, {});
  }

  withMaxRecords(recordLimit: number): BufferConfig {
    return this.copy({ maxRecordsValue: recordLimit });
  }

  withMaxBytes(byteLimit: number): BufferConfig {
    return this.copy({ maxBytesValue: byteLimit });
  }

  withNoBound(): BufferConfig {
    return this.copy({
      maxRecordsValue: Number.POSITIVE_INFINITY,
      maxBytesValue: Number.POSITIVE_INFINITY,
      bufferFullStrategy: 'SHUT_DOWN',
    });
  }

  emitEarlyWhenFull(): BufferConfig {
    return this.copy({ bufferFullStrategy: 'EMIT' });
  }

  shutDownWhenFull(): BufferConfig {
    return this.copy({ bufferFullStrategy: 'SHUT_DOWN' });
  }

  withLoggingDisabled(): BufferConfig {
    return this.copy({ loggingEnabled: false, logConfig: {} });
  }

  withLoggingEnabled(config: { readonly [key: string]: string } = {}): BufferConfig {
    return this.copy({ loggingEnabled: true, logConfig: { ...config } });
  }

  private copy(change: Partial<BufferConfig>): BufferConfig {
    return new BufferConfig(
      change.maxRecordsValue ?? this.maxRecordsValue,
      change.maxBytesValue ?? this.maxBytesValue,
      change.bufferFullStrategy ?? this.bufferFullStrategy,
      change.loggingEnabled ?? this.loggingEnabled,
      change.logConfig ?? this.logConfig,
    );
  }
}

/**
 * Kafka Streams' `Suppressed`: `untilWindowCloses` holds a windowed table's updates and emits
 * each window's final result once, when stream time passes the window's end plus its grace;
 * `untilTimeLimit` holds each key's updates for a stretch of stream time after the first one
 * and then emits the latest.
 */
export class Suppressed {
  private constructor(
    readonly kind: 'untilWindowCloses' | 'untilTimeLimit',
    readonly timeToWaitForMoreEventsMs: number,
    readonly bufferConfig: BufferConfig,
    readonly name: string | undefined,
  ) {}

  static untilWindowCloses(bufferConfig: BufferConfig): Suppressed {
    if (bufferConfig.bufferFullStrategy !== 'SHUT_DOWN') {
      throw new Error(
        'IllegalArgumentException: untilWindowCloses needs a strict buffer config: BufferConfig.unbounded() or a bound with shutDownWhenFull()',
      );
    }
    return new Suppressed('untilWindowCloses', 0, bufferConfig, undefined);
  }

  static untilTimeLimit(timeToWaitForMoreEventsMs: number, bufferConfig: BufferConfig): Suppressed {
    if (timeToWaitForMoreEventsMs < 0) throw new Error('IllegalArgumentException: time to wait must not be negative');
    return new Suppressed('untilTimeLimit', timeToWaitForMoreEventsMs, bufferConfig, undefined);
  }

  withName(name: string): Suppressed {
    return new Suppressed(this.kind, this.timeToWaitForMoreEventsMs, this.bufferConfig, name);
  }
}
