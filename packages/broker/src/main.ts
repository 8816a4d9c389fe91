#!/usr/bin/env node
/**
 * Starts a broker: `node main.js [server.properties] [--override key=value]...`.
 * Ctrl-C (SIGINT) or SIGTERM shuts it down cleanly: logs are flushed and the clean-shutdown
 * marker written, so the next start skips recovery.
 */
import type { Broker } from './broker.js';
import { ConfigError } from './config/config-def.js';
import { runBroker } from './run-broker.js';

async function main(): Promise<void> {
  // Signals are handled from the first moment: one that arrives while the broker is still
  // starting is remembered, and the broker shuts down cleanly as soon as it is up.
  let broker: Broker | undefined;
  let stopRequested = false;
  let signals = 0;
  const shutdown = (started: Broker) => {
    started.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`ERROR shutdown failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  };
  const stop = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(`received ${signal} again; exiting without a clean shutdown\n`);
      process.exit(130);
    }
    stopRequested = true;
    if (broker !== undefined) shutdown(broker);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    broker = await runBroker(process.argv.slice(2));
    broker.onFatal((message) => {
      // Kafka halts here: no controlled shutdown, nothing more written to the failed disks. The
      // exit waits a moment so that the answer to the request that met the failure goes out.
      process.stderr.write(`ERROR ${message}\n`);
      setTimeout(() => process.exit(1), 200);
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ERROR ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`ERROR Fatal error during broker startup: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
  if (stopRequested) shutdown(broker);
}

void main();
