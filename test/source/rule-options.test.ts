import { describe, expect, it } from 'vitest';
import { loadBuiltinRules, type PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { Inventory } from '../../src/inventory/model.js';
import { calleeMatches } from '../../src/checks/source-facts.js';
import type { CodeSite, SourceFacts, SourceRegistration } from '../../src/source/types.js';
import { inventory } from '../helpers/inventory.js';

// The collector records neutral facts (every callee, as written); the source rules decide with the
// names in their options, so a project can teach them its own rate limiter, limiter or auth helper.

const rules = loadBuiltinRules();
const rule = (id: string): PackRule => rules.find((candidate) => candidate.id === id)!;
const withOptions = (id: string, options: Record<string, unknown>): PackRule => ({ ...rule(id), options: { ...rule(id).options, ...options } });

const ROOT = '/project';
const at = (line: number) => ({ file: `${ROOT}/src/server.ts`, line, column: 1 });
const site = (kind: CodeSite['kind'], what: string, line: number, detail: CodeSite['detail'] = {}): CodeSite => ({ kind, what, detail, location: at(line) });

function withSource(calls: string[], sites: CodeSite[], registrations: SourceRegistration[] = []): Inventory {
  const source: SourceFacts = { root: ROOT, files: 1, callDepth: 2, registrations, sites, calls, dependencies: [], durationMs: 1 };
  return inventory({ facts: ['source'], source });
}
const ids = (inv: Inventory, candidate: PackRule) => runRules(inv, [candidate], { targetId: 't' }).findings.map((finding) => finding.messageId);

function tool(name: string, line: number, reaches: CodeSite[], calls: string[]): SourceRegistration {
  return {
    kind: 'tool',
    name,
    shape: 'sdk-high-level',
    api: 'server.registerTool',
    location: at(line),
    options: {},
    conditional: false,
    handler: { location: at(line), reaches, readsAuth: false, usesSignal: false, marksExternalContent: false, calls },
  };
}

describe('callee names in rule options', () => {
  it('match the last segment, or the whole callee when the name has a dot; * is a wildcard; case and `new` do not count', () => {
    expect(calleeMatches('passport.authenticate', ['authenticate'])).toBe(true);
    expect(calleeMatches('passport.authenticate', ['auth.authenticate'])).toBe(false);
    expect(calleeMatches('new limiter.RateLimiterMemory', ['ratelimitermemory'])).toBe(true);
    expect(calleeMatches('new GitHubAuthProvider', ['*AuthProvider'])).toBe(true);
    expect(calleeMatches('policy.enforceScopes', ['*enforce*'])).toBe(true);
    expect(calleeMatches('rateLimits.get', ['rateLimit'])).toBe(false);
  });
});

describe('source rules judge recorded callees with their options', () => {
  const http = site('http-transport', 'StreamableHTTPServerTransport', 3);

  it('runtime/no-rate-limit: rateLimitCalls', () => {
    expect(ids(withSource(['express', 'rateLimit'], [http]), rule('runtime/no-rate-limit'))).toEqual([]);
    expect(ids(withSource(['express', 'throttle'], [http]), rule('runtime/no-rate-limit'))).toEqual(['noRateLimit']);
    expect(ids(withSource(['express', 'throttle'], [http]), withOptions('runtime/no-rate-limit', { rateLimitCalls: ['throttle'] }))).toEqual([]);
  });

  it('runtime/no-concurrency-guard: limiterCalls, and limiterFunctions only as bare calls', () => {
    const spawn = site('process-spawn', 'execFile', 9);
    const registrations = [tool('convert', 8, [spawn], ['execFile'])];
    expect(ids(withSource(['execFile', 'new PQueue'], [spawn], registrations), rule('runtime/no-concurrency-guard'))).toEqual([]);
    expect(ids(withSource(['execFile', 'limit'], [spawn], registrations), rule('runtime/no-concurrency-guard'))).toEqual([]);
    expect(ids(withSource(['execFile', 'query.limit'], [spawn], registrations), rule('runtime/no-concurrency-guard'))).toEqual(['unguarded']);
    expect(
      ids(withSource(['execFile', 'gate.acquire'], [spawn], registrations), withOptions('runtime/no-concurrency-guard', { limiterCalls: ['gate.acquire'] })),
    ).toEqual([]);
  });

  it('auth/unauthenticated-http and auth/missing-per-call-authorization: authCalls and authorizationCalls', () => {
    const registrations = [tool('delete_user', 8, [], ['db.delete']), tool('update_user', 12, [], ['policy.checkPermission', 'db.update'])];
    const facts = (calls: string[]) => withSource(calls, [http], registrations);
    expect(ids(facts(['express']), rule('auth/unauthenticated-http'))).toEqual(['noAuth']);
    expect(ids(facts(['passport.authenticate']), rule('auth/unauthenticated-http'))).toEqual([]);
    expect(ids(facts(['gatekeeper']), withOptions('auth/unauthenticated-http', { authCalls: ['gatekeeper'] }))).toEqual([]);
    // Only once the server authenticates does a handler without an authorization call count.
    expect(runRules(facts(['express']), [rule('auth/missing-per-call-authorization')], { targetId: 't' }).outcomes[0]?.status).toBe('skipped');
    const findings = runRules(facts(['passport.authenticate']), [rule('auth/missing-per-call-authorization')], { targetId: 't' }).findings;
    expect(findings.map((finding) => finding.capability.name)).toEqual(['delete_user']);
    const tuned = withOptions('auth/missing-per-call-authorization', { authorizationCalls: ['db.delete'] });
    expect(runRules(facts(['passport.authenticate']), [tuned], { targetId: 't' }).findings.map((finding) => finding.capability.name)).toEqual(['update_user']);
  });

  it('transport/stdout-pollution: stdoutCalls decides which logging calls write to stdout; process.stdout.write always does', () => {
    const sites = [
      site('stdio-transport', 'new StdioServerTransport', 1),
      site('log-call', 'console.log', 2, { reads: '' }),
      site('log-call', 'console.error', 3, { reads: '' }),
      site('log-call', 'logger.info', 4, { reads: '' }),
      site('stdout-write', 'process.stdout.write', 5),
    ];
    const lines = (candidate: PackRule) =>
      runRules(withSource([], sites), [candidate], { targetId: 't' }).findings.map((finding) => `${finding.location?.line} ${String(finding.data.what)}`);
    expect(lines(rule('transport/stdout-pollution'))).toEqual(['2 console.log', '5 process.stdout.write']);
    expect(lines(withOptions('transport/stdout-pollution', { stdoutCalls: ['logger.*'] }))).toEqual(['4 logger.info', '5 process.stdout.write']);
  });

  it('secrets/secret-logged: a token count or a duration is not a secret (notSecretWords); a whole request body is (requestProperties)', () => {
    const logs = [
      site('log-call', 'console.error', 2, {
        reads: 'identifier usage\nproperty usage.tokenCount tokenCount\nproperty usage.tokens_used tokens_used\nidentifier elapsedMs',
      }),
      site('log-call', 'console.error', 3, { reads: 'property req.body body' }),
      site('log-call', 'console.error', 4, { reads: 'property session.accessToken accessToken' }),
    ];
    const lines = (candidate: PackRule) =>
      runRules(withSource([], logs), [candidate], { targetId: 't' }).findings.map((finding) => `${finding.location?.line} ${finding.data.secret}`);
    expect(lines(rule('secrets/secret-logged'))).toEqual(['3 req.body', '4 session.accessToken']);
    expect(lines(withOptions('secrets/secret-logged', { notSecretWords: [], requestProperties: ['headers'] }))).toEqual([
      '2 usage.tokenCount',
      '4 session.accessToken',
    ]);
  });
});

describe('secrets/internal-detail-in-error', () => {
  it('judges which caught-error property returned is raw upstream text with rawErrorProperties', () => {
    const sites = [
      site('caught-error-returned', 'error.message', 4, { property: 'message' }),
      site('caught-error-returned', 'error.code', 5, { property: 'code' }),
    ];
    const lines = (candidate: PackRule) =>
      runRules(withSource([], sites), [candidate], { targetId: 't' })
        .findings.map((finding) => `${finding.messageId} ${finding.location?.line}`)
        .sort();
    expect(lines(rule('secrets/internal-detail-in-error'))).toEqual(['rawErrorReturned 4']);
    expect(lines(withOptions('secrets/internal-detail-in-error', { rawErrorProperties: ['message', 'code'] }))).toEqual([
      'rawErrorReturned 4',
      'rawErrorReturned 5',
    ]);
  });
});

describe('source findings', () => {
  it('point at the risky statement, with the registration as a related location', () => {
    const spawn: CodeSite = { kind: 'process-spawn', what: 'child_process.exec', detail: { dynamicCommand: true, shell: true }, location: at(20) };
    const registration = tool('run', 8, [spawn], ['child_process.exec']);
    const inv = withSource([], [spawn], [registration]);
    inv.tools.push({ kind: 'tool', name: 'run', inputSchema: { type: 'object' }, origin: { source: at(8) } });
    const [found] = runRules(inv, [rule('design/shell-like-tool')], { targetId: 't' }).findings.filter((finding) => finding.evidenceKind === 'source');
    expect(found?.location?.line).toBe(20);
    expect(found?.relatedLocations).toEqual([{ location: at(8), message: 'tool "run" is registered here' }]);
  });
});
