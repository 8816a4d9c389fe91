import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from './logger.js';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

function timestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Renders pino's JSON lines the way Kafka's log4j layout prints them
 * (`[2026-01-01 12:00:00,000] INFO message (component)`), for people reading a terminal.
 */
class KafkaStyleDestination extends Writable {
  constructor(private readonly out: NodeJS.WritableStream) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        const { level, time, msg, component, err, pid: _pid, hostname: _hostname, ...rest } = entry;
        const extras = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
        const where = typeof component === 'string' ? ` (${component})` : '';
        const error =
          err !== undefined && typeof err === 'object' && err !== null && 'stack' in err
            ? `\n${String((err as { stack: unknown }).stack)}`
            : '';
        this.out.write(
          `[${timestamp(Number(time))}] ${LEVEL_NAMES[Number(level)] ?? level} ${String(msg ?? '')}${extras}${where}${error}\n`,
        );
      } catch {
        this.out.write(`${line}\n`);
      }
    }
    done();
  }
}

/**
 * The broker's logger: pino, at `SAMSA_LOG_LEVEL` (default info), printed Kafka-style unless
 * `SAMSA_LOG_FORMAT=json` asks for pino's JSON lines.
 */
export function createLogger(
  options: { level?: string; format?: 'text' | 'json'; destination?: NodeJS.WritableStream } = {},
): Logger {
  const level = options.level ?? process.env.SAMSA_LOG_LEVEL ?? 'info';
  const format = options.format ?? (process.env.SAMSA_LOG_FORMAT === 'json' ? 'json' : 'text');
  const out = options.destination ?? process.stdout;
  const destination = format === 'json' ? out : new KafkaStyleDestination(out);
  return pino(
    { level, base: null },
    destination as NodeJS.WritableStream & { write: (s: string) => boolean },
  ) as unknown as Logger;
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }) as unknown as Logger;
}
