import type { Handler } from './handler.js';

/**
 * The APIs this broker serves, by API key. ApiVersions answers from here, so a version is
 * advertised exactly when a handler serves it.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<number, Handler>();

  register(handler: Handler<never, unknown>): this {
    if (this.handlers.has(handler.apiKey)) throw new Error(`handler for API key ${handler.apiKey} registered twice`);
    this.handlers.set(handler.apiKey, handler as Handler);
    return this;
  }

  get(apiKey: number): Handler | undefined {
    return this.handlers.get(apiKey);
  }

  /** ApiVersions' `apiKeys`, sorted by key. */
  apiVersions(): { apiKey: number; minVersion: number; maxVersion: number }[] {
    return [...this.handlers.values()]
      .sort((a, b) => a.apiKey - b.apiKey)
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
  }
}
