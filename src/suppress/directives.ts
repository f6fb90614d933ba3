import { readFileSync, statSync } from 'node:fs';
import type { Suppression } from './types.js';

/**
 * Inline suppressions in the server's source, in ESLint's shape:
 *   // mcp-preflight-disable-next-line pack/rule[, pack/other] -- reason
 *   // mcp-preflight-disable pack/rule -- reason   …   // mcp-preflight-enable pack/rule
 *   // mcp-preflight-disable-file pack/rule -- reason
 * `disable-next-line` covers its own line and the next (so it may sit at or above the registration
 * or statement); a block runs to the matching `enable`, or the end of the file.
 */
const DIRECTIVE = /(?:\/\/|\/\*+|#|\*)\s*mcp-preflight-(disable-next-line|disable-file|disable|enable)\b(.*)$/;

/** Files larger than this are not searched for directives (generated bundles). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function parseBody(body: string): { rules: string[]; reason?: string } {
  const text = body.replace(/\*+\/\s*$/, '').trim();
  const separator = text.indexOf('--');
  const rulePart = separator === -1 ? text : text.slice(0, separator);
  const reason = separator === -1 ? '' : text.slice(separator + 2).trim();
  const rules = rulePart.split(/[\s,]+/).filter(Boolean);
  return { rules, ...(reason ? { reason } : {}) };
}

export function directivesInText(file: string, text: string): Suppression[] {
  const lines = text.split(/\r?\n/);
  const found: Suppression[] = [];
  const open: Suppression[] = [];
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (!match) return;
    const lineNumber = index + 1;
    const { rules, reason } = parseBody(match[2] ?? '');
    const at = { file, line: lineNumber, column: match.index + 1 };
    const base = { kind: 'inSource' as const, rules, ...(reason ? { reason } : {}), at, text: line.slice(match.index).trim() };
    if (match[1] === 'enable') {
      // `enable` with no rules closes every open block; with rules, the blocks naming them.
      for (const block of [...open]) {
        if (rules.length > 0 && !block.rules.some((rule) => rules.includes(rule))) continue;
        if (block.scope.form === 'block') block.scope.to = lineNumber;
        open.splice(open.indexOf(block), 1);
      }
      return;
    }
    const suppression: Suppression =
      match[1] === 'disable-next-line'
        ? { ...base, scope: { form: 'next-line', lines: [lineNumber, lineNumber + 1] } }
        : match[1] === 'disable-file'
          ? { ...base, scope: { form: 'file' } }
          : { ...base, scope: { form: 'block', from: lineNumber, to: lines.length } };
    if (suppression.scope.form === 'block') open.push(suppression);
    found.push(suppression);
  });
  return found;
}

/** Directives in each file (unreadable or oversized files have none). */
export function directivesInFiles(files: Iterable<string>): Suppression[] {
  const all: Suppression[] = [];
  for (const file of [...new Set(files)].sort()) {
    try {
      if (statSync(file).size > MAX_FILE_BYTES) continue;
      all.push(...directivesInText(file, readFileSync(file, 'utf8')));
    } catch {
      // A file we cannot read holds no directive we could honour.
    }
  }
  return all;
}
