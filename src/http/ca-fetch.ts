import { request } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';

/**
 * A minimal `fetch` for https targets signed by a private CA (--ca FILE): Node's global fetch takes
 * no per-request CA. It never follows redirects (a 3xx is returned as is; the SDK's same-origin
 * policy decides), streams the body (SSE works) and honours the abort signal.
 */
export function fetchWithCa(ca: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers: Record<string, string> = {};
      new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((value, name) => {
        headers[name] = value;
      });
      const body = init?.body;
      if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        reject(new TypeError('fetchWithCa supports string and byte bodies only'));
        return;
      }
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      const req = request(
        {
          hostname,
          port: url.port || 443,
          path: `${url.pathname}${url.search}`,
          method: init?.method ?? 'GET',
          headers,
          ca,
          agent: false,
          ...(isIP(hostname) ? {} : { servername: hostname }),
        },
        (res) => {
          const responseHeaders = new Headers();
          for (let index = 0; index + 1 < res.rawHeaders.length; index += 2) responseHeaders.append(res.rawHeaders[index]!, res.rawHeaders[index + 1]!);
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304 || (init?.method ?? 'GET') === 'HEAD';
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        },
      );
      const abort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', abort, { once: true });
      req.once('close', () => signal?.removeEventListener('abort', abort));
      req.once('error', reject);
      if (body !== undefined && body !== null) req.write(body);
      req.end();
    });
}
