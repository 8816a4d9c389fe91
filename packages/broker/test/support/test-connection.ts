import type { ConnectionInfo } from '../../src/network/connection.js';
import { ANONYMOUS, type KafkaPrincipal } from '../../src/security/kafka-principal.js';

/** A PLAINTEXT connection as the dispatcher sees it, for handing it frames directly. */
export function testConnection(principal: KafkaPrincipal = ANONYMOUS, id = 'test'): ConnectionInfo {
  return {
    id,
    clientHost: '127.0.0.1',
    listenerName: 'PLAINTEXT',
    securityProtocol: 'PLAINTEXT',
    principal,
    closeAfterResponse: () => {},
    mute: () => {},
  };
}
