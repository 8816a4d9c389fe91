#!/usr/bin/env node
import { runDistributed } from '../connect-distributed.js';

process.exitCode = await runDistributed(process.argv.slice(2));
// Clients' sockets and timers are closed by stop(); exit anyway in case a library left a handle.
process.exit();
