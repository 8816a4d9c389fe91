import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a request this worker cannot serve to the worker that can (Kafka's
 * `completeOrForwardRequest`) and relays its answer. The forwarded request carries
 * `forward=false`, so a worker that is not the leader either (the cluster rebalanced meanwhile)
 * answers 409 instead of passing it on again.
 */
export async function forwardRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  targetUrl: string,
): Promise<FastifyReply> {
  const url = new URL(request.url, targetUrl);
  url.searchParams.set('forward', 'false');
  const headers: Record<string, string> = { accept: 'application/json' };
  // A signed internal request keeps its signature (KIP-507).
  for (const name of ['x-connect-authorization', 'x-connect-request-signature-algorithm']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const init: RequestInit = { method: request.method, headers };
  if (request.body !== undefined && request.body !== null && request.method !== 'GET') {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(request.body);
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const message = `IO Error trying to forward REST request: ${(error as Error).message}`;
    return reply.code(500).send({ error_code: 500, message });
  }
  const text = await response.text();
  const location = response.headers.get('location');
  if (location !== null) void reply.header('location', location);
  void reply.code(response.status);
  if (text === '') return reply.send();
  return reply.header('content-type', 'application/json; charset=utf-8').send(text);
}

/** Whether this request was already forwarded once (it must not be forwarded again). */
export function wasForwarded(request: FastifyRequest): boolean {
  return new URL(request.url, 'http://localhost').searchParams.get('forward') === 'false';
}
