import type { HttpFacts, ProbeExchange } from '../../src/http/types.js';
import type { Inventory } from '../../src/inventory/model.js';
import { inventory } from '../helpers/inventory.js';

export const URL = 'http://127.0.0.1:3000/mcp';

/** One exchange: `status` plus a JSON-RPC result for 2xx unless said otherwise. */
export function exchange(status: number | undefined, overrides: Partial<ProbeExchange> = {}): ProbeExchange {
  return {
    purpose: 'test',
    method: 'POST',
    path: '/mcp',
    sent: {},
    headers: { 'content-type': status !== undefined && status < 300 ? 'text/event-stream' : 'application/json' },
    durationMs: 1,
    ...(status === undefined ? { error: 'ECONNRESET' } : { status }),
    ...(status !== undefined && status >= 200 && status < 300 ? { jsonrpc: { hasResult: true } } : {}),
    ...overrides,
  };
}

/** The facts of the good fixture scanned with a token: every rule passes. */
export function goodFacts(): HttpFacts {
  const metadataUrl = 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp';
  const document = { resource: URL, authorization_servers: ['https://auth.example.com'], scopes_supported: ['mcp:tools'] };
  return {
    url: URL,
    origin: 'http://127.0.0.1:3000',
    scheme: 'http',
    loopback: true,
    credentialHeaders: ['Authorization'],
    protocolVersion: '2025-11-25',
    durationMs: 50,
    notes: [],
    anonymous: { initialize: exchange(401), accessGranted: false },
    challenge: {
      status: 401,
      header: `Bearer resource_metadata="${metadataUrl}", scope="mcp:tools"`,
      scheme: 'Bearer',
      params: { resource_metadata: metadataUrl, scope: 'mcp:tools' },
    },
    resourceMetadata: [
      { source: 'header', url: metadataUrl, sameOrigin: true, status: 200, document },
      { source: 'path-suffixed', url: metadataUrl, sameOrigin: true, status: 200, document },
      { source: 'root', url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource', sameOrigin: true, status: 404 },
    ],
    baseline: exchange(200),
    access: true,
    toolsList: exchange(200),
    originHeader: { foreignOrigin: 'http://evil.example', foreign: exchange(403), own: exchange(200) },
    hostHeader: { foreignHost: 'evil.example:3000', foreign: exchange(403) },
    cors: { foreignOrigin: 'http://evil.example', preflight: exchange(403, { method: 'OPTIONS' }) },
    sessions: { ids: ['0f6c1f0e-3f43-4a8e-9f1d-6f0b6f1c2a11', 'b1d2e3f4-5a6b-4c7d-8e9f-a0b1c2d3e4f5', '7c1e9a2b-44d0-4f6e-a3b5-9d8c7b6a5f40'], requested: 3 },
    protocolVersionHeader: { sent: '1999-01-01', response: exchange(400) },
    get: exchange(200, { method: 'GET', jsonrpc: undefined as never }),
  };
}

/** An inventory of a Streamable HTTP target with these probe facts. */
export function httpInventory(change: (facts: HttpFacts) => void = () => {}, protocolVersion = '2025-11-25'): Inventory {
  const facts = goodFacts();
  change(facts);
  const base = inventory();
  return inventory({
    target: { kind: 'http', name: 'test-server', url: facts.url, headerNames: ['Authorization'] },
    facts: ['live', 'http'],
    server: { ...base.server, transport: 'streamable-http', protocolVersion },
    http: facts,
  });
}
