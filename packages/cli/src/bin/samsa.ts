#!/usr/bin/env node
import { main } from '../main.js';
import { processIo } from '../support/command-io.js';

/**
 * The `samsa` executable. SIGINT and SIGTERM abort the running command, which then finishes the
 * way Kafka's tools do on Ctrl-C (a consumer prints its message count, a broker shuts down
 * cleanly); a second signal exits at once.
 */
const controller = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
  signals++;
  if (signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
  controller.abort(new Error(signal));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A closed pipe (`samsa console-consumer ... | head`) ends the command like Kafka's "Unable to write".
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') controller.abort(new Error('EPIPE'));
});

main(process.argv.slice(2), processIo(controller.signal)).then(
  (code) => {
    // Exit only once stdout has drained: piped output must not be cut short.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`ERROR ${(error as Error).message}\n`);
    process.exit(1);
  },
);
