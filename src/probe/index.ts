import type { TargetSpec } from '../discovery/target.js';
import { serverEnvironment } from '../discovery/stdio-transport.js';
import type { ProbeEnvironment } from './collect.js';

export { collectProbeFacts, DEFAULT_PROBE_OPTIONS, failedProbeFacts, type ProbeEnvironment, type ProbeSession } from './collect.js';
export { callToolSafely, probeEligibility, sendProbeRequest, type CallToolOptions, type Eligibility } from './call.js';
export { createSanitiser, envPairNames } from './sanitise.js';
export { containmentRoots, launchRoots } from './containment.js';
export type { CallRecord, ProbeFacts, ProbeOptions, ToolProbe } from './types.js';

/**
 * The environment a target's server runs with, as far as we know it: for stdio, the names of ours
 * that it gets plus the declared ones, and the declared values (to mask literally); for HTTP, the
 * header values (a bearer token, an API key) to mask.
 */
export function probeEnvironment(spec: TargetSpec): ProbeEnvironment {
  if (spec.kind === 'stdio') return { names: Object.keys(serverEnvironment(spec.env)), knownValues: Object.values(spec.env) };
  const values = Object.values(spec.headers).flatMap((value) => [value, value.replace(/^\s*(?:Bearer|Basic|Token)\s+/i, '')]);
  return { names: [], knownValues: values };
}
