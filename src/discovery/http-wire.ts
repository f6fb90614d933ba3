/**
 * How far the last HTTP exchange got, so a timeout can say what really happened: no response at
 * all (the connection was accepted, nothing came back) or a response whose body never ended (a
 * server that trickles). The SDK only says that the deadline passed.
 */
export interface HttpWire {
  fetch: typeof fetch;
  /** The request still waiting when asked: undefined when none is. */
  stalled(): { status?: number; bodyBytes: number } | undefined;
}

export function watchHttpWire(base: typeof fetch): HttpWire {
  // Only the latest exchange: after a timeout, it is the one that was waited for.
  let last: { status?: number; bodyBytes: number; done: boolean } | undefined;
  const watched = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const exchange: { status?: number; bodyBytes: number; done: boolean } = { bodyBytes: 0, done: false };
    // A GET is the server's long-lived event stream, never an answer that is waited for.
    if ((init?.method ?? 'GET').toUpperCase() !== 'GET') last = exchange;
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      // Given up on by us (the deadline), it is still the request that got no response.
      if (init?.signal?.aborted !== true) exchange.done = true;
      throw error;
    }
    exchange.status = response.status;
    // Redirects and bodiless answers go back untouched (the SDK reads their url and headers).
    if (response.body === null || response.status < 200 || response.status >= 300 || response.status === 204 || response.status === 205) {
      exchange.done = true;
      return response;
    }
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          exchange.bodyBytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
        flush() {
          exchange.done = true;
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return {
    fetch: watched,
    stalled: () => (last === undefined || last.done ? undefined : { ...(last.status !== undefined ? { status: last.status } : {}), bodyBytes: last.bodyBytes }),
  };
}

/** `no HTTP response from <url>` / `no complete answer from <url> (HTTP 200, then N bytes …)`. */
export function describeStall(at: string, stall: { status?: number; bodyBytes: number }): string {
  if (stall.status === undefined) return `no HTTP response from ${at} (the connection was accepted)`;
  return `no complete answer from ${at} (HTTP ${stall.status}, then ${stall.bodyBytes} ${stall.bodyBytes === 1 ? 'byte' : 'bytes'} of a body that never ended)`;
}
