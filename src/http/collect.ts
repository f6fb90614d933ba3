import { readFileSync } from 'node:fs';
import type { HttpTargetSpec } from '../discovery/target.js';
import type { Inventory } from '../inventory/model.js';
import { probeHttpSurface } from './probe.js';

/**
 * The HTTP probes as a collector: runs them within what is left of the target's time budget and adds
 * `inventory.http` and the `http` fact. Never throws for the server's sake; an unreadable --ca file
 * is the user's mistake and is reported by the CLI before we get here.
 */
export async function collectHttpFacts(spec: HttpTargetSpec, inventory: Inventory, budgetMs: number): Promise<void> {
  const ca = spec.caFile === undefined ? undefined : readFileSync(spec.caFile, 'utf8');
  inventory.http = await probeHttpSurface(spec, {
    budgetMs,
    ...(inventory.server.protocolVersion ? { protocolVersion: inventory.server.protocolVersion } : {}),
    ...(ca ? { ca } : {}),
  });
  if (!inventory.facts.includes('http')) inventory.facts.push('http');
}
