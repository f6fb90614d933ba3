import { defineCheck } from '../../engine/define-check.js';
import { calleeMatches, hasSite, siteFinding, sourceFacts } from '../source-facts.js';

/** How many of the recorded noise lines go into the evidence (each is already cut to 200 characters). */
const EVIDENCE_LINES = 3;

/**
 * transport/stdout-pollution, on whichever evidence was collected:
 * - live: lines a stdio server wrote to stdout that were not JSON-RPC (`inventory.stdoutNoise`,
 *   also for a scan that failed later); the first lines are the evidence, masked by the engine;
 * - source: a stdio server's code writes to stdout outside the protocol: a direct
 *   `process.stdout.write`, or a logging call among `stdoutCalls` (`console.log`, `console.info`,
 *   `console.debug`...); `console.error` is the mitigation.
 *   Only writes in the files that create the stdio transport or that they load count
 *   (`SourceFacts.stdioModules`): an HTTP entry point's `console.log` is no protocol noise; nor is
 *   one in the HTTP arm of the `if` whose other arm creates the stdio transport.
 */
type Site = NonNullable<ReturnType<typeof sourceFacts>>['sites'][number];

/** The `if` arms a site sits in (`detail.branches`, innermost first): `<line>.<column>` of the `if` to `then`/`else`. */
function arms(site: Site): Map<string, string> {
  const text = typeof site.detail.branches === 'string' ? site.detail.branches : '';
  return new Map(text === '' ? [] : text.split(',').map((arm) => arm.split(':') as [string, string]));
}

/**
 * Does the write sit in another arm of an `if` than every stdio transport its function creates
 * (`if (HTTP) { startHttp(); console.log('started') } else { connect(new StdioServerTransport()) }`)?
 * Then it runs only when the server does not serve stdio. A function with no stdio transport of
 * its own is not judged here (the stdio path reaches it some other way).
 */
function inOtherBranch(site: Site, transports: readonly Site[]): boolean {
  const same = transports.filter((transport) => transport.location.file === site.location.file && transport.detail.scope === site.detail.scope);
  if (same.length === 0) return false;
  const mine = arms(site);
  return same.every((transport) => [...arms(transport)].some(([ifAt, arm]) => mine.has(ifAt) && mine.get(ifAt) !== arm));
}

export const stdoutPollution = defineCheck('transport/stdout-pollution', ({ inventory, options, report, skip }) => {
  const noise = inventory.stdoutNoise;
  if (inventory.target.kind === 'stdio' && noise.lines > 0) {
    const samples = noise.samples.slice(0, EVIDENCE_LINES);
    report({
      messageId: 'liveNoise',
      data: { lines: noise.lines, sample: JSON.stringify(samples[0] ?? '') },
      capability: { kind: 'server' },
      field: 'stdout',
      evidence: samples.join('\n'),
    });
  }
  const facts = sourceFacts(inventory);
  if (facts === undefined) {
    if (inventory.target.kind !== 'stdio') skip?.('not a stdio target, and no source was analysed');
    return;
  }
  if (!hasSite(facts, 'stdio-transport')) {
    skip?.('the server has no stdio transport in source');
    return;
  }
  // Only code the stdio transport runs: a `console.log` in the HTTP entry point pollutes no protocol stream.
  const stdio = facts.stdioModules === undefined ? undefined : new Set(facts.stdioModules);
  // Within those files, only writes on the stdio path: at module top level (it runs on load), in the
  // function that starts the stdio transport, or reached from a tool's handler. A bundle carries
  // whole libraries whose debug output never runs when the server serves stdio.
  const starts = new Set(
    facts.sites.filter((site) => site.kind === 'stdio-transport').map((site) => `${site.location.file}:${String(site.detail.scope ?? '')}`),
  );
  const reached = new Set(
    facts.registrations
      .flatMap((registration) => registration.handler?.reaches ?? [])
      .map((site) => `${site.location.file}:${site.location.line}:${site.location.column}`),
  );
  const transports = facts.sites.filter((site) => site.kind === 'stdio-transport');
  const onStdioPath = (site: (typeof facts.sites)[number]) =>
    (site.detail.scope === undefined ||
      site.detail.scope === 0 ||
      starts.has(`${site.location.file}:${String(site.detail.scope)}`) ||
      reached.has(`${site.location.file}:${site.location.line}:${site.location.column}`)) &&
    !inOtherBranch(site, transports);
  for (const site of facts.sites) {
    const writes = site.kind === 'stdout-write' || (site.kind === 'log-call' && site.detail.toClient !== true && calleeMatches(site.what, options.stdoutCalls));
    if (writes && (stdio === undefined || stdio.has(site.location.file)) && onStdioPath(site)) report(siteFinding(facts, site, 'stdoutWrite'));
  }
});
