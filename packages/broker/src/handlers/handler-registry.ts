import { apiCodec, apiName, hasTopLevelErrorCode } from '@samsa/protocol';
import { type AnyHandler, isPipelined } from './handler.js';

/**
 * The APIs this broker serves, by API key. ApiVersions answers from here, so a version is
 * advertised exactly when a handler serves it.
 *
 * Registration checks what the codecs know: a handler's versions must lie inside its API's request
 * and response codecs, and a handler serving a response version without a top-level error code
 * must say how to answer a failure there (`errorResponse`).
 */
export class HandlerRegistry {
  private readonly handlers = new Map<number, AnyHandler>();

  register(handler: AnyHandler): this {
    const name = apiName(handler.apiKey);
    if (this.handlers.has(handler.apiKey)) throw new Error(`handler for ${name} registered twice`);
    const codec = apiCodec(handler.apiKey);
    if (codec === undefined) throw new Error(`no codec for API key ${handler.apiKey}`);
    const low = Math.max(codec.request.minVersion, codec.response.minVersion);
    const high = Math.min(codec.request.maxVersion, codec.response.maxVersion);
    if (handler.minVersion > handler.maxVersion || handler.minVersion < low || handler.maxVersion > high) {
      throw new Error(
        `${name} handler serves versions ${handler.minVersion}-${handler.maxVersion}, outside its codec's ${low}-${high}`,
      );
    }
    if (handler.errorResponse === undefined) {
      for (let v = handler.minVersion; v <= handler.maxVersion; v++) {
        if (!hasTopLevelErrorCode(codec, v)) {
          throw new Error(`${name} v${v} responses have no top-level error code: the handler needs errorResponse`);
        }
      }
    }
    this.handlers.set(handler.apiKey, handler);
    return this;
  }

  get(apiKey: number): AnyHandler | undefined {
    return this.handlers.get(apiKey);
  }

  /** Whether requests of this API may overlap on one connection (see PipelinedHandler). */
  isPipelined(apiKey: number): boolean {
    const handler = this.handlers.get(apiKey);
    return handler !== undefined && isPipelined(handler);
  }

  /** ApiVersions' `apiKeys`, sorted by key. */
  apiVersions(): { apiKey: number; minVersion: number; maxVersion: number }[] {
    return [...this.handlers.values()]
      .sort((a, b) => a.apiKey - b.apiKey)
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
  }
}
