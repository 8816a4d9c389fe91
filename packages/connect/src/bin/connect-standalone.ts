#!/usr/bin/env node
import { runStandalone } from '../connect-standalone.js';

process.exitCode = await runStandalone(process.argv.slice(2));
// Clients' sockets and timers are closed by stop(); exit anyway in case a library left a handle.
process.exit();
