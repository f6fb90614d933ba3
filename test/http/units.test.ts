import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../src/http/challenge.js';
import { isCredentialHeader, isLoopbackHost } from '../../src/http/probe.js';
import { summariseJsonRpc } from '../../src/http/request.js';
import { estimatedBits, sessionIdWeaknesses } from '../../src/http/session-id.js';

describe('parseChallenge', () => {
  it('reads the scheme and quoted or bare parameters', () => {
    const challenge = parseChallenge(
      401,
      'Bearer error="invalid_token", error_description="The access token expired", scope="a b", resource_metadata="https://x/.well-known/oauth-protected-resource/mcp"',
    );
    expect(challenge.scheme).toBe('Bearer');
    expect(challenge.params).toEqual({
      error: 'invalid_token',
      error_description: 'The access token expired',
      scope: 'a b',
      resource_metadata: 'https://x/.well-known/oauth-protected-resource/mcp',
    });
    expect(parseChallenge(401, 'Bearer realm=mcp,scope="x\\"y"').params).toEqual({ realm: 'mcp', scope: 'x"y' });
  });
  it('stops at a second challenge and tolerates an empty header', () => {
    expect(parseChallenge(401, 'Bearer realm="a", Basic realm="b"').params).toEqual({ realm: 'a' });
    expect(parseChallenge(401, undefined)).toEqual({ status: 401, params: {} });
  });
});

describe('session id strength', () => {
  it('passes UUIDs and 128-bit base64url ids', () => {
    const uuids = Array.from({ length: 4 }, () => crypto.randomUUID());
    expect(sessionIdWeaknesses(uuids)).toEqual([]);
    expect(estimatedBits(uuids)).toBeGreaterThanOrEqual(100);
    const random = Array.from({ length: 4 }, () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url'));
    expect(sessionIdWeaknesses(random)).toEqual([]);
  });
  it('flags low entropy behind a long fixed prefix', () => {
    const ids = ['tenant-acme-production-session-000a', 'tenant-acme-production-session-000b', 'tenant-acme-production-session-000c'];
    expect(sessionIdWeaknesses(ids).map((weakness) => weakness.messageId)).toEqual(['lowEntropy']);
  });
});

describe('helpers', () => {
  it('finds the JSON-RPC response in JSON and SSE bodies', () => {
    expect(summariseJsonRpc('{"jsonrpc":"2.0","id":1,"result":{"tools":[{},{}]}}', false)).toEqual({ hasResult: true, toolCount: 2 });
    expect(
      summariseJsonRpc(
        'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\ndata: {"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"no"}}\n\n',
        true,
      ),
    ).toEqual({ hasResult: false, errorCode: -32600, errorMessage: 'no' });
    expect(summariseJsonRpc('<html>', false)).toBeUndefined();
  });
  it('knows loopback hosts and credential headers', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'api.localhost'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'example.com', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
    expect(['Authorization', 'Cookie', 'X-API-Key', 'X-Auth-Token'].every(isCredentialHeader)).toBe(true);
    expect(['Accept-Language', 'X-Tenant'].some(isCredentialHeader)).toBe(false);
  });
});
