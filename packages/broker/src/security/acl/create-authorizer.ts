import type { BrokerConfig } from '../../config/broker-config.js';
import { ConfigError } from '../../config/config-def.js';
import type { Controller } from '../../controller/controller.js';
import { LocalController } from '../../controller/local-controller.js';
import type { Logger } from '../../logger.js';
import { parsePrincipal, principalToString } from '../kafka-principal.js';
import { AclAuthorizer } from './acl-authorizer.js';
import type { AclStore } from './acl-store.js';
import { LocalAclStore } from './local-acl-store.js';
import { ZkAclStore } from './zk-acl-store.js';

/**
 * The authorizer `authorizer.class.name` asks for (validated with the config: empty or one of
 * ACL_AUTHORIZER_CLASS_NAMES), over the store of the broker's mode: the metadata file through the
 * single-node controller's queue, or ZooKeeper. Undefined when the name is empty.
 */
export async function createAuthorizer(
  config: BrokerConfig,
  controller: Controller,
  logger: Logger,
): Promise<AclAuthorizer | undefined> {
  if ((config.string('authorizer.class.name') ?? '').trim() === '') return undefined;
  const superUsers = parseSuperUsers(config.string('super.users'));
  const store: AclStore =
    controller instanceof LocalController
      ? new LocalAclStore((change) => controller.updateMetadata(change))
      : await ZkAclStore.connect(config, logger);
  try {
    return await AclAuthorizer.start({
      store,
      superUsers,
      allowEveryoneIfNoAclFound: config.bool('allow.everyone.if.no.acl.found'),
      auditLogger: logger.child({ component: 'kafka.authorizer.logger' }),
      logger,
    });
  } catch (err) {
    store.close();
    throw err;
  }
}

/** `super.users`: principals separated by semicolons; each must be `Type:name`. */
export function parseSuperUsers(text: string | null): Set<string> {
  const superUsers = new Set<string>();
  for (const part of (text ?? '').split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const principal = parsePrincipal(trimmed);
    if (principal === undefined) {
      throw new ConfigError(
        'super.users',
        `Invalid value ${text} for configuration super.users: expected a string in format principalType:principalName but got ${trimmed}`,
      );
    }
    superUsers.add(principalToString(principal));
  }
  return superUsers;
}
