import { ConnectRestException } from '../runtime/connect-errors.js';

/**
 * This worker cannot serve the request; the worker at `forwardUrl` can (Kafka's
 * NotLeaderException: the leader for config writes, or the worker running a connector for a
 * restart). The REST layer forwards the request there once; without a known URL (a rebalance is
 * under way) the client gets Kafka's 409.
 */
export class NotLeaderException extends ConnectRestException {
  constructor(readonly forwardUrl: string | undefined) {
    super(
      409,
      forwardUrl === undefined
        ? 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.'
        : 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
    );
  }
}
