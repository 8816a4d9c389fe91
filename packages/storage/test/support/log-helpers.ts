import { Log, type LogOpenOptions } from '../../src/log/log.js';
import { type LogConfig, logConfig } from '../../src/log/log-config.js';
import { MockTime } from '../../src/util/time.js';

export const T0 = 1_700_000_000_000;

export async function openLog(
  dir: string,
  overrides: Partial<LogConfig> = {},
  extra: Partial<LogOpenOptions> & { time?: MockTime } = {},
): Promise<{ log: Log; time: MockTime }> {
  const time = extra.time ?? new MockTime(T0);
  const log = await Log.open({
    dir,
    topic: 'topic',
    partition: 0,
    config: logConfig({ fileDeleteDelayMs: 0, ...overrides }),
    time,
    hadCleanShutdown: false,
    ...extra,
  });
  return { log, time };
}
