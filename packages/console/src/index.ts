export type { ClusterConfig } from './cluster-entry.js';
export { ConsoleServer, type ConsoleServerOptions } from './console-server.js';
export { CONSOLE_USAGE, type ConsoleIo, runConsole } from './run-console.js';
