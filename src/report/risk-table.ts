import type { ChalkInstance } from 'chalk';
import type { RankedCapability, RiskClass } from '../inventory/risk.js';
import { maskSecrets } from '../secrets/index.js';
import { capabilityLabel, plural } from './common.js';

/** The ranked risk inventory as the reporters show it: text (check, discover --risk) here, Markdown in markdown.ts. */

/** Rows `check` prints per target; the rest are counted (`discover --risk` lists them all). */
export const TEXT_RISK_ROWS = 5;

/** `approval: two-person review`, `tenant: per-customer`, the free note: what the config declared. */
export function riskNotes(row: Pick<RankedCapability, 'declared'>): string[] {
  const notes: string[] = [];
  if (row.declared?.approval) notes.push(`approval: ${row.declared.approval}`);
  if (row.declared?.tenant) notes.push(`tenant: ${row.declared.tenant}`);
  if (row.declared?.note) notes.push(row.declared.note);
  return notes;
}

/** `exec`, or `write + open world` when a write also reaches outside. */
export function classLabel(row: Pick<RankedCapability, 'class' | 'openWorld'>): string {
  return row.openWorld && row.class !== 'open-world' && row.class !== 'read-only' ? `${row.class} + open world` : row.class;
}

export interface RiskTextOptions {
  c: ChalkInstance;
  /** Escapes server-supplied text for the terminal. */
  escape: (text: string) => string;
  /** Before the title; rows get it twice unless `rowIndent` is given. */
  indent: string;
  rowIndent?: string;
  /** At most this many rows (all when absent); the rest are counted. */
  limit?: number;
  /** Said after the count of the rows left out, e.g. `discover --risk lists them all`. */
  moreHint?: string;
}

export function riskTextLines(rows: readonly RankedCapability[] | undefined, options: RiskTextOptions): string[] {
  if (rows === undefined || rows.length === 0) return [];
  const { c, escape, indent } = options;
  const rowIndent = options.rowIndent ?? `${indent}${indent}`;
  const shown = options.limit === undefined ? rows : rows.slice(0, options.limit);
  const clean = (text: string) => escape(maskSecrets(text));
  const title = shown.length < rows.length ? `capabilities by risk (top ${shown.length} of ${rows.length})` : `capabilities by risk (${rows.length})`;
  const classWidth = Math.max(...shown.map((row) => classLabel(row).length));
  const labelWidth = Math.min(40, Math.max(...shown.map((row) => clean(capabilityLabel(row.capability)).length)));
  const lines = [`${indent}${c.bold(title)}`];
  for (const row of shown) {
    const label = clean(capabilityLabel(row.capability));
    const details = [clean(row.reasons.join('; '))];
    const declared: string[] = [];
    if (row.declared?.class !== undefined)
      declared.push(row.mismatch ? c.yellow(`declared ${row.declared.class} (mismatch)`) : `declared ${row.declared.class}`);
    declared.push(...riskNotes(row).map(clean));
    lines.push(
      `${rowIndent}${classColor(c, row.class)(classLabel(row).padEnd(classWidth))}  ${label.padEnd(labelWidth)}  ${c.dim(details.join(''))}${declared.length > 0 ? `  ${declared.join(' · ')}` : ''}`,
    );
  }
  if (shown.length < rows.length) {
    const rest = rows.length - shown.length;
    lines.push(`${rowIndent}${c.dim(`… and ${plural(rest, 'more capability', 'more capabilities')}${options.moreHint ? ` (${options.moreHint})` : ''}`)}`);
  }
  return lines;
}

function classColor(c: ChalkInstance, riskClass: RiskClass): ChalkInstance {
  return riskClass === 'exec' || riskClass === 'destructive' ? c.red : riskClass === 'write' ? c.yellow : riskClass === 'open-world' ? c.magenta : c.green;
}
