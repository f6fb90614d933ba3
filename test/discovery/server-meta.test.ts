import { describe, expect, it } from 'vitest';
import { handshakeMeta } from '../../src/discovery/server-meta.js';

describe('handshakeMeta: the server-declared _meta of a handshake result', () => {
  it('reads serverInfo._meta and the result _meta of an initialize result', () => {
    const result = {
      protocolVersion: '2025-11-25',
      serverInfo: { name: 's', version: '1', _meta: { 'com.acme/owner': '#oncall' } },
      _meta: { 'com.acme/team': 'payments' },
    };
    expect(handshakeMeta(result)).toEqual({ 'com.acme/owner': '#oncall', 'com.acme/team': 'payments' });
  });

  it('reads a 2026-07-28 server/discover result, leaving out the protocol-reserved keys', () => {
    const result = {
      resultType: 'complete',
      _meta: {
        'io.modelcontextprotocol/serverInfo': { name: 's', version: '1', _meta: { 'com.acme/security-contact': 'security@acme.example' } },
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'com.acme/owner': '#oncall',
      },
    };
    expect(handshakeMeta(result)).toEqual({ 'com.acme/security-contact': 'security@acme.example', 'com.acme/owner': '#oncall' });
  });

  it('gives nothing for a result without metadata, or one that is not an object', () => {
    expect(handshakeMeta({ serverInfo: { name: 's', version: '1' } })).toEqual({});
    expect(handshakeMeta(null)).toEqual({});
    expect(handshakeMeta([1])).toEqual({});
  });
});
