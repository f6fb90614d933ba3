import type { CapabilityRef } from '../inventory/model.js';
import type { RankedCapability } from '../inventory/risk.js';
import { maskSecrets } from '../secrets/index.js';
import type { DriftChange, DriftFacts } from './drift.js';

/** The Markdown report's escapers (src/report/markdown.ts), passed in so this module formats nothing on its own terms. */
export interface MarkdownEscapers {
  text(value: string): string;
  code(value: string): string;
}

/** Rows shown per target; the JSON has every change. */
const MAX_ROWS = 50;

function label(capability: CapabilityRef): string {
  return capability.name === undefined ? capability.kind : `${capability.kind} ${capability.name}`;
}

function change(entry: DriftChange, escape: MarkdownEscapers): { what: string; values: string } {
  switch (entry.kind) {
    case 'added':
      return { what: 'added', values: `— → ${escape.code(entry.risk)}` };
    case 'removed':
      return { what: 'removed', values: `${escape.code(entry.risk)} → —` };
    case 'renamed':
      return { what: 'renamed', values: `${escape.code(entry.from)} → ${escape.code(entry.capability.name ?? '')}` };
    case 'description':
      return { what: 'description changed', values: 'word diff below' };
    case 'instructions':
      return { what: 'instructions changed', values: 'word diff below' };
    case 'schema':
      return { what: `input schema ${entry.direction}`, values: entry.changes.map((line) => escape.text(line)).join('<br>') };
    case 'annotation':
      return {
        what: `annotation ${entry.direction}`,
        values: `${escape.code(entry.hint)}: ${escape.code(String(entry.before))} → ${escape.code(String(entry.after))}`,
      };
    case 'risk':
      return { what: 'risk class raised', values: `${escape.code(entry.before)} → ${escape.code(entry.after)}` };
  }
}

/** A fenced block no line of the (masked) content can close; the diff already spells out invisible characters. */
function fenced(value: string): string[] {
  const content = maskSecrets(value);
  const longest = Math.max(2, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...content.split(/\r\n?|\n/), fence];
}

/**
 * The lock diff of one target for a pull request: one table row per change (change, capability,
 * old → new, the capability's risk class now), and each description or instructions word diff in
 * a collapsed block.
 */
export function driftMarkdownLines(drift: DriftFacts | undefined, risk: readonly RankedCapability[] | undefined, escape: MarkdownEscapers): string[] {
  if (drift === undefined || drift.changes.length === 0) return [];
  const classOf = (capability: CapabilityRef) => risk?.find((row) => row.capability.kind === capability.kind && row.capability.name === capability.name)?.class;
  const lines = [`**Changes since ${escape.text(drift.lockfile)}**`, '', '| change | capability | old → new | risk |', '| --- | --- | --- | --- |'];
  for (const entry of drift.changes.slice(0, MAX_ROWS)) {
    const { what, values } = change(entry, escape);
    const riskClass = classOf(entry.capability);
    lines.push(`| ${what} | ${escape.text(label(entry.capability))} | ${values} | ${riskClass ? escape.code(riskClass) : ''} |`);
  }
  if (drift.changes.length > MAX_ROWS) lines.push('', `… and ${drift.changes.length - MAX_ROWS} more changes (the JSON report has them all).`);
  lines.push('');
  for (const entry of drift.changes.slice(0, MAX_ROWS)) {
    if (entry.kind !== 'description' && entry.kind !== 'instructions') continue;
    lines.push(
      `<details><summary>Word diff: ${escape.text(entry.kind === 'instructions' ? 'server instructions' : `description of ${label(entry.capability)}`)}</summary>`,
      '',
      ...fenced(entry.diff),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}
