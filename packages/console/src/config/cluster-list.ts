import type { ClusterConfig } from '../cluster-entry.js';
import { ConsoleConfigError, loadConsoleConfig } from './console-config.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The clusters `samsa console --config file` serves. Login, roles, read-only mode and the audit
 * log are not wired into the server yet, so a config that asks for them is refused rather than
 * served without them (fail closed); until then the console is unauthenticated, and an
 * unauthenticated console listens on loopback only.
 */
export async function clustersFromConfigFile(path: string): Promise<ClusterConfig[]> {
  const config = await loadConsoleConfig(path);
  if (config.users.length > 0)
    throw new ConsoleConfigError('users', 'login is not implemented in this build yet; remove the users list');
  if (config.readOnly) throw new ConsoleConfigError('readOnly', 'read-only mode is not implemented in this build yet');
  return [...config.clusters];
}

/** Refuses a non-loopback host for an unauthenticated console. */
export function checkUnauthenticatedHost(host: string): void {
  if (!LOOPBACK.has(host))
    throw new Error(`--host ${host}: the console has no login yet, so it listens on 127.0.0.1, ::1 or localhost only`);
}
