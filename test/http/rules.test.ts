import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine/run.js';
import type { Inventory } from '../../src/inventory/model.js';
import { inventory } from '../helpers/inventory.js';
import { rulesOf } from '../helpers/rule-tester.js';
import { exchange, httpInventory } from './facts.js';

// What each HTTP rule reports is pinned by its RuleTester cases (test/rules/cases/http.ts); these
// tests pin when a rule does not apply and says why (skipped, never a silent pass).
const HTTP_RULES = [
  'auth/unauthenticated-http',
  'auth/missing-protected-resource-metadata',
  'auth/resource-metadata-mismatch',
  'auth/challenge-without-scope',
  'auth/broad-scopes',
  'auth/insecure-remote-url',
  'auth/weak-session-id',
  'transport/missing-origin-validation',
  'transport/missing-host-validation',
  'transport/permissive-cors',
  'transport/protocol-version-header',
  'transport/get-not-sse-or-405',
  'transport/tls-certificate',
  'transport/tls-version',
];

function outcome(id: string, inv: Inventory) {
  const rule = rulesOf(id).find((r) => r.id === id)!;
  return runRules(inv, [rule], { targetId: 'test-server' }).outcomes[0];
}

describe('HTTP rules that do not apply say why', () => {
  it.each(HTTP_RULES)('%s is skipped for a stdio target (no http facts)', (id) => {
    expect(outcome(id, inventory())).toMatchObject({ status: 'skipped' });
  });

  it('TLS rules are skipped for an http:// target, with the reason', () => {
    expect(outcome('transport/tls-certificate', httpInventory())).toEqual({
      ruleId: 'transport/tls-certificate',
      status: 'skipped',
      reason: 'not an https target',
    });
  });

  it('auth/unauthenticated-http is skipped with the reason when the target declares auth: none', () => {
    const inv = httpInventory((f) => {
      f.anonymous = { initialize: exchange(200), toolsList: exchange(200), accessGranted: true };
      delete f.challenge;
      f.authNone = { reason: 'loopback only, inside the CI container' };
    });
    expect(outcome('auth/unauthenticated-http', inv)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('loopback only, inside the CI container'),
    });
  });

  it('auth/missing-protected-resource-metadata is skipped without a challenge, and before 2025-06-18', () => {
    expect(
      outcome(
        'auth/missing-protected-resource-metadata',
        httpInventory((f) => delete f.challenge),
      ),
    ).toMatchObject({ status: 'skipped' });
    expect(
      outcome(
        'auth/missing-protected-resource-metadata',
        httpInventory(() => {}, '2025-03-26'),
      ),
    ).toMatchObject({ status: 'skipped', reason: expect.stringContaining('2025-03-26') });
  });

  it('auth/challenge-without-scope does not apply to 2025-06-18 (the SHOULD came with 2025-11-25)', () => {
    const inv = httpInventory((f) => (f.challenge = { status: 401, header: 'Bearer', scheme: 'Bearer', params: {} }), '2025-06-18');
    expect(outcome('auth/challenge-without-scope', inv)).toMatchObject({ status: 'skipped' });
  });

  it('auth/weak-session-id is skipped for a stateless server, for 2026-07-28, and without access (saying how to give it)', () => {
    const RULE = 'auth/weak-session-id';
    expect(
      outcome(
        RULE,
        httpInventory((f) => (f.sessions = { ids: [], requested: 1 })),
      ),
    ).toMatchObject({ status: 'skipped', reason: expect.stringContaining('stateless') });
    expect(
      outcome(
        RULE,
        httpInventory(() => {}, '2026-07-28'),
      ),
    ).toMatchObject({ status: 'skipped', reason: expect.stringContaining('2026-07-28') });
    expect(
      outcome(
        RULE,
        httpInventory((f) => ((f.access = false), (f.credentialHeaders = []))),
      ),
    ).toMatchObject({ status: 'skipped', reason: expect.stringContaining('--bearer-env') });
  });

  it('transport/missing-origin-validation is skipped when the endpoint refuses us the same way with or without Origin', () => {
    const inv = httpInventory((f) => {
      f.access = false;
      f.baseline = exchange(401);
      f.originHeader!.foreign = exchange(401);
    });
    expect(outcome('transport/missing-origin-validation', inv)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('cannot see Origin') });
  });

  it('transport/missing-host-validation is skipped for public hosts', () => {
    const inv = httpInventory((f) => ((f.url = 'https://mcp.example.com/mcp'), (f.loopback = false), (f.hostHeader!.foreign = exchange(200))));
    expect(outcome('transport/missing-host-validation', inv)).toMatchObject({ status: 'skipped' });
  });

  it('transport/protocol-version-header does not apply before 2025-06-18, nor to legacy SSE', () => {
    const RULE = 'transport/protocol-version-header';
    expect(
      outcome(
        RULE,
        httpInventory((f) => (f.protocolVersionHeader!.response = exchange(200)), '2025-03-26'),
      ),
    ).toMatchObject({ status: 'skipped' });
    const sse = httpInventory((f) => (f.protocolVersionHeader!.response = exchange(200)));
    sse.server.transport = 'sse';
    expect(outcome(RULE, sse)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('legacy') });
  });
});
