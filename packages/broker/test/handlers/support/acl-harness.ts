/**
 * ACL tests of the request handlers: a real single-node broker (in this process, in a temporary
 * directory, never listening for these requests) whose handlers are driven through the request
 * dispatcher — frames in, frames out — with a fake Authorizer that allows exactly what a test
 * grants. `send` goes through the authorizer; `setup` does not (no authorizer: everything
 * allowed), for creating topics, groups and transactions a test then probes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiKey,
  apiCodec,
  decodeResponse,
  ErrorCode,
  encodeRequest,
  type FindCoordinatorResponse,
} from '@samsa/protocol';
import { Broker } from '../../../src/broker.js';
import type { BrokerServices } from '../../../src/broker-services.js';
import { BrokerConfig } from '../../../src/config/broker-config.js';
import { silentLogger } from '../../../src/create-logger.js';
import { createHandlerRegistry } from '../../../src/handlers/index.js';
import { BufferPool } from '../../../src/memory/buffer-pool.js';
import { RequestDispatcher } from '../../../src/network/request-dispatcher.js';
import type {
  AclOperationValue,
  Action,
  AuthorizableRequestContext,
  Authorizer,
  ResourceTypeCode,
} from '../../../src/security/authorizer.js';
import { ANONYMOUS, type KafkaPrincipal } from '../../../src/security/kafka-principal.js';
import { testConnection } from '../../support/test-connection.js';

/**
 * Allows what was granted — `(operation, resourceType, name)`, or every name of a type with
 * `'*'` — and nothing else (no implied operations: tests grant exactly what Kafka checks). Every
 * `authorize` call is recorded, to check batching.
 */
export class FakeAuthorizer implements Authorizer {
  readonly calls: { readonly context: AuthorizableRequestContext; readonly actions: readonly Action[] }[] = [];
  private readonly grants = new Set<string>();

  allow(operation: AclOperationValue, resourceType: ResourceTypeCode, name = '*'): this {
    this.grants.add(`${operation}:${resourceType}:${name}`);
    return this;
  }

  reset(): this {
    this.grants.clear();
    this.calls.length = 0;
    return this;
  }

  authorize(context: AuthorizableRequestContext, actions: readonly Action[]): boolean[] {
    this.calls.push({ context, actions: [...actions] });
    return actions.map(
      (a) =>
        this.grants.has(`${a.operation}:${a.resourceType}:${a.resourceName}`) ||
        this.grants.has(`${a.operation}:${a.resourceType}:*`),
    );
  }

  authorizeByResourceType(
    _context: AuthorizableRequestContext,
    operation: AclOperationValue,
    resourceType: ResourceTypeCode,
  ): boolean {
    return [...this.grants].some((g) => g.startsWith(`${operation}:${resourceType}:`));
  }
}

export class AclHarness {
  readonly authorizer = new FakeAuthorizer();
  private readonly secured: RequestDispatcher;
  private readonly open: RequestDispatcher;
  private correlationId = 0;

  private constructor(
    readonly broker: Broker,
    private readonly dir: string,
  ) {
    const services: BrokerServices = { ...broker.services, authorizer: this.authorizer };
    const registry = createHandlerRegistry({
      interBroker: true,
      shareGroups: broker.services.config.bool('group.share.enable'),
    });
    this.secured = new RequestDispatcher(registry, services, new BufferPool(), silentLogger());
    this.open = new RequestDispatcher(registry, broker.services, new BufferPool(), silentLogger());
  }

  static async start(properties: Readonly<Record<string, string>> = {}): Promise<AclHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-acl-'));
    const config = new BrokerConfig(
      new Map(
        Object.entries({
          'broker.id': '0',
          listeners: 'PLAINTEXT://127.0.0.1:0',
          'log.dirs': join(dir, 'logs'),
          'offsets.topic.replication.factor': '1',
          'offsets.topic.num.partitions': '1',
          'transaction.state.log.replication.factor': '1',
          'transaction.state.log.min.isr': '1',
          'transaction.state.log.num.partitions': '1',
          'group.initial.rebalance.delay.ms': '0',
          ...properties,
        }),
      ),
    );
    const broker = await Broker.start(config, silentLogger());
    return new AclHarness(broker, dir);
  }

  /** A request as `principal` (User:ANONYMOUS) from 127.0.0.1, authorized by the fake authorizer. */
  send<T>(apiKey: number, version: number, body: unknown, principal: KafkaPrincipal = ANONYMOUS): Promise<T> {
    return this.exchange(this.secured, apiKey, version, body, principal) as Promise<T>;
  }

  /** A request to the same broker without an authorizer. */
  setup<T>(apiKey: number, version: number, body: unknown): Promise<T> {
    return this.exchange(this.open, apiKey, version, body, ANONYMOUS) as Promise<T>;
  }

  /**
   * Waits until the coordinator of `key` (keyType 0: a group, 1: a transactional id) is loaded:
   * the first lookup creates its internal topic.
   */
  async awaitCoordinator(keyType: 0 | 1, key: string): Promise<void> {
    for (let i = 0; ; i++) {
      const found = await this.setup<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, {
        keyType,
        coordinatorKeys: [key],
      });
      if (found.coordinators[0]?.errorCode === ErrorCode.NONE) return;
      if (i >= 100) throw new Error(`the coordinator of ${key} never became available`);
      await sleep(50);
    }
  }

  /** The raw outcome of a request through the authorizer ('close', no response, or a response). */
  async outcome(apiKey: number, version: number, body: unknown): Promise<'close' | 'none' | 'response'> {
    const result = await this.dispatch(this.secured, apiKey, version, body, ANONYMOUS);
    return result === 'close' ? 'close' : result === undefined || result === null ? 'none' : 'response';
  }

  async close(): Promise<void> {
    await this.broker.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async exchange(
    dispatcher: RequestDispatcher,
    apiKey: number,
    version: number,
    body: unknown,
    principal: KafkaPrincipal,
  ): Promise<unknown> {
    const result = await this.dispatch(dispatcher, apiKey, version, body, principal);
    if (!Array.isArray(result)) throw new Error(`no response (${String(result)})`);
    const api = apiCodec(apiKey);
    if (api === undefined) throw new Error(`no codec for API key ${apiKey}`);
    return decodeResponse(api, version, Buffer.concat(result).subarray(4)).body;
  }

  private async dispatch(
    dispatcher: RequestDispatcher,
    apiKey: number,
    version: number,
    body: unknown,
    principal: KafkaPrincipal,
  ): Promise<unknown> {
    const api = apiCodec(apiKey);
    if (api === undefined) throw new Error(`no codec for API key ${apiKey}`);
    const frame = Buffer.concat(encodeRequest(api, version, ++this.correlationId, 'acl-test', body)).subarray(4);
    return dispatcher.handle(frame, testConnection(principal, 'acl-test')).response;
  }
}
