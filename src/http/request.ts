import { truncateSafely } from '../secrets/truncate.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { JsonRpcSummary, ProbeExchange } from './types.js';

/**
 * One raw HTTP request on node:http/node:https (fetch silently drops a custom Host header).
 * Bounded: `timeoutMs` for the whole exchange, `maxBodyBytes` read, each header value cut to 1 KiB.
 * Redirects are never followed (a 3xx is just a status). Never throws: a network error or a timeout
 * is recorded in `error`.
 */
export interface RawRequest {
  purpose: string;
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBodyBytes?: number;
  /** Stop after the headers (a GET that may open an endless SSE stream). */
  headersOnly?: boolean;
  /** Extra CA certificates (PEM) for https (--ca). */
  ca?: string;
  /** Header names whose values are not recorded in `sent` (credentials). */
  secretHeaders?: ReadonlySet<string>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const MAX_HEADER_VALUE = 1024;
const MAX_BODY_TEXT = 4096;

export function sendRaw(options: RawRequest): Promise<ProbeExchange> {
  const started = performance.now();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) {
    sent[name] = options.secretHeaders?.has(name.toLowerCase()) ? '****' : value.slice(0, 200);
  }
  const base: ProbeExchange = {
    purpose: options.purpose,
    method: options.method,
    path: `${options.url.pathname}${options.url.search}`,
    sent,
    headers: {},
    durationMs: 0,
  };
  return new Promise<ProbeExchange>((resolve) => {
    let settled = false;
    const finish = (result: Partial<ProbeExchange>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...base, ...result, durationMs: Math.round(performance.now() - started) });
    };
    const https = options.url.protocol === 'https:';
    const hostname = options.url.hostname.replace(/^\[|\]$/g, '');
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const requestOptions = {
      hostname,
      port: options.url.port || (https ? 443 : 80),
      path: base.path,
      method: options.method,
      headers,
      agent: false as const,
      ...(https ? { servername: isIP(hostname) ? '' : hostname, ...(options.ca ? { ca: options.ca } : {}) } : {}),
    };
    let req: ReturnType<typeof httpRequest>;
    const onResponse = (res: IncomingMessage) => {
      const responseHeaders = collectHeaders(res);
      const status = res.statusCode;
      if (options.headersOnly || options.method === 'HEAD') {
        res.destroy();
        req.destroy();
        finish({ ...(status !== undefined ? { status } : {}), headers: responseHeaders });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const sse = /text\/event-stream/i.test(responseHeaders['content-type'] ?? '');
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const jsonrpc = summariseJsonRpc(text, sse);
        finish({
          ...(status !== undefined ? { status } : {}),
          headers: responseHeaders,
          ...(text.length > 0 ? { body: truncateSafely(text, MAX_BODY_TEXT, '') } : {}),
          ...(truncated || text.length > MAX_BODY_TEXT ? { bodyTruncated: true } : {}),
          ...(jsonrpc ? { jsonrpc } : {}),
        });
      };
      res.on('data', (chunk: Buffer) => {
        if (size + chunk.length > maxBody) {
          chunks.push(chunk.subarray(0, maxBody - size));
          size = maxBody;
          truncated = true;
          res.destroy();
          req.destroy();
          done();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
        // An SSE answer to a POST may stay open after the response; stop once we have it.
        if (sse && summariseJsonRpc(Buffer.concat(chunks).toString('utf8'), true) !== undefined) {
          res.destroy();
          req.destroy();
          done();
        }
      });
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    };
    try {
      req = https ? httpsRequest(requestOptions, onResponse) : httpRequest(requestOptions, onResponse);
    } catch (error) {
      finish({ error: describeError(error) });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      finish({ error: `no complete answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    timer.unref();
    req.on('error', (error) => finish({ error: describeError(error) }));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function collectHeaders(res: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(', ') : value;
    headers[name.toLowerCase()] = truncateSafely(joined, MAX_HEADER_VALUE, '');
  }
  return headers;
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** The first JSON-RPC response (a message with an id and a result or an error) in a body. */
export function summariseJsonRpc(text: string, sse: boolean): JsonRpcSummary | undefined {
  const candidates: string[] = [];
  if (sse) {
    for (const event of text.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) candidates.push(data);
    }
  } else if (text.trim().startsWith('{') || text.trim().startsWith('[')) {
    candidates.push(text);
  }
  for (const candidate of candidates) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      continue;
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    for (const message of messages) {
      if (typeof message !== 'object' || message === null) continue;
      const m = message as { id?: unknown; result?: unknown; error?: unknown };
      if (m.id === undefined || (m.result === undefined && m.error === undefined)) continue;
      const summary: JsonRpcSummary = { hasResult: m.result !== undefined };
      if (typeof m.error === 'object' && m.error !== null) {
        const error = m.error as { code?: unknown; message?: unknown };
        if (typeof error.code === 'number') summary.errorCode = error.code;
        if (typeof error.message === 'string') summary.errorMessage = truncateSafely(error.message, 300, '');
      }
      if (typeof m.result === 'object' && m.result !== null) {
        const result = m.result as { protocolVersion?: unknown; tools?: unknown };
        if (typeof result.protocolVersion === 'string') summary.protocolVersion = result.protocolVersion;
        if (Array.isArray(result.tools)) summary.toolCount = result.tools.length;
      }
      return summary;
    }
  }
  return undefined;
}
