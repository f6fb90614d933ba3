import type { CheckContext } from '../../engine/types.js';
import type { HttpFacts, ProbeExchange } from '../../http/types.js';
import type { CapabilityRef, Inventory } from '../../inventory/model.js';

/** HTTP findings are about the server as a whole. */
export const SERVER: CapabilityRef = { kind: 'server' };

/** The probe facts, or a skip (the engine already skips when the `http` fact is missing). */
export function httpFacts(context: CheckContext): HttpFacts | undefined {
  const facts = context.inventory.http;
  if (facts === undefined) context.skip?.('no HTTP probe results in the inventory');
  return facts;
}

/** The revision the server negotiated (live discovery), else the one the probes spoke. */
export function revisionOf(inventory: Inventory): string {
  return inventory.server.protocolVersion ?? inventory.http?.protocolVersion ?? '2025-11-25';
}

/** Revisions are dates, so they compare as strings. */
export function revisionAtLeast(inventory: Inventory, revision: string): boolean {
  return revisionOf(inventory) >= revision;
}

/** 2xx with a JSON-RPC result: the server did what was asked. */
export function succeeded(exchange: ProbeExchange | undefined): boolean {
  return exchange?.status !== undefined && exchange.status >= 200 && exchange.status < 300 && exchange.jsonrpc?.hasResult === true;
}

/** What came back, in one line: `200 text/event-stream`, `403`, `error: …`. */
export function answer(exchange: ProbeExchange): string {
  if (exchange.status === undefined) return `no answer (${exchange.error ?? 'unknown error'})`;
  const type = exchange.headers['content-type']?.split(';')[0];
  return `${exchange.status}${type ? ` ${type}` : ''}`;
}

/** `POST /mcp [Origin: http://evil.example] → 200 text/event-stream` (credential values never appear). */
export function describeExchange(exchange: ProbeExchange, shownHeaders: readonly string[] = []): string {
  const shown = shownHeaders
    .map((name) => Object.entries(exchange.sent).find(([sentName]) => sentName.toLowerCase() === name.toLowerCase()))
    .filter((entry): entry is [string, string] => entry !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  return `${exchange.method} ${exchange.path}${shown.length > 0 ? ` [${shown.join('; ')}]` : ''} → ${answer(exchange)}`;
}

/** Why a probe that needs to get past authentication could not judge. */
export function noAccessReason(facts: HttpFacts): string {
  const status = facts.baseline.status === undefined ? `failed (${facts.baseline.error ?? 'no answer'})` : `was answered ${facts.baseline.status}`;
  return facts.credentialHeaders.length === 0
    ? `needs access to the endpoint, and initialize without credentials ${status}; scan with a token (--bearer-env VAR or --header "Authorization: Bearer …")`
    : `needs access to the endpoint, and initialize with the scan's credentials ${status}`;
}
