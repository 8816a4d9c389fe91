import { Admin } from '@samsa/client';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from './broker-connection.js';
import { clientSettings, loadProps } from './client-properties.js';
import type { CommandIo } from './command-io.js';

/**
 * An admin client for `--bootstrap-server` and `--command-config`, connected: the first broker
 * answered within the connect timeout, or the command fails with one line saying so.
 */
export async function connectAdmin(
  bootstrapServer: string | undefined,
  commandConfig: string | undefined,
  io: CommandIo,
): Promise<Admin> {
  const bootstrap = validateBootstrapServer(bootstrapServer);
  const props = commandConfig === undefined ? new Map<string, string>() : loadProps(commandConfig);
  props.set('bootstrap.servers', bootstrap);
  const settings = clientSettings('admin', props, (line) => io.stderr.write(`${line}\n`));
  const admin = new Admin({ 'client.id': 'samsa-admin', ...settings });
  try {
    await awaitBroker(admin.cluster, bootstrap, connectTimeoutMs(io.env));
  } catch (error) {
    await admin.close();
    throw error;
  }
  return admin;
}
