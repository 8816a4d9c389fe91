/**
 * ApiVersions (key 18), versions 0-4.
 * v1: throttle time. v2: same. v3: flexible; the request names the client software (KIP-511),
 * which must be non-empty and match Kafka's pattern, else INVALID_REQUEST. v4: same as v3.
 * A request at a version above 4 is answered by the dispatcher with a v0 UNSUPPORTED_VERSION
 * response carrying this list, so the client can retry.
 */
import { ApiKey, type ApiVersionsRequest, type ApiVersionsResponseInput, ErrorCode } from '@samsa/protocol';
import { defineHandler } from './handler.js';
import type { HandlerRegistry } from './handler-registry.js';

const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function apiVersionsHandler(registry: HandlerRegistry) {
  return defineHandler<ApiVersionsRequest, ApiVersionsResponseInput>({
    apiKey: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 4,
    handle(request, ctx) {
      const apiKeys = registry.apiVersions();
      if (
        ctx.apiVersion >= 3 &&
        (!SOFTWARE_PATTERN.test(request.clientSoftwareName) || !SOFTWARE_PATTERN.test(request.clientSoftwareVersion))
      ) {
        return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys };
      }
      return { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 };
    },
  });
}
