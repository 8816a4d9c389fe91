import diagnostics from 'node:diagnostics_channel';

/**
 * `diagnostics_channel` channels the client publishes on. Subscribing costs the publisher
 * nothing when nobody listens: every publish is guarded by `hasSubscribers`.
 *
 * - `samsa:client:request` — one message per completed request:
 *   `{ broker, clientId, apiKey, apiName, apiVersion, correlationId, durationMs, error? }`.
 * - `samsa:client:connection` — `{ broker, clientId, event, error? }` with `event` one of
 *   `connect`, `authenticate` (SASL succeeded, at connect or a KIP-368 renewal), `close`, `error`.
 * - `samsa:client:rebalance` — `{ groupId, memberId, generationId, event, partitions? }` with
 *   `event` one of `join`, `assigned`, `revoked`, `lost`, `leave`.
 */
export const requestChannel = diagnostics.channel('samsa:client:request');
export const connectionChannel = diagnostics.channel('samsa:client:connection');
export const rebalanceChannel = diagnostics.channel('samsa:client:rebalance');

export interface RequestEvent {
  readonly broker: string;
  readonly clientId: string;
  readonly apiKey: number;
  readonly apiName: string;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly durationMs: number;
  readonly error?: Error;
}

export interface ConnectionEvent {
  readonly broker: string;
  readonly clientId: string;
  readonly event: 'connect' | 'authenticate' | 'close' | 'error';
  readonly error?: Error;
}

export interface RebalanceEvent {
  readonly groupId: string;
  readonly memberId: string;
  readonly generationId: number;
  readonly event: 'join' | 'assigned' | 'revoked' | 'lost' | 'leave';
  readonly partitions?: readonly { readonly topic: string; readonly partition: number }[];
}
