import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import { errorText, isErrorAnswer, probedCalls, nothingProbed } from '../probe/probe-facts.js';
import type { CodeSite } from '../../source/types.js';
import { calleeMatches, inIgnoredCode, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * secrets/internal-detail-in-error, on whichever evidence was collected:
 * - source: `error.stack` returned or thrown into a result, or a property of a caught upstream
 *   error among `rawErrorProperties` (its raw `.message`) returned (McpServer forwards thrown
 *   messages verbatim); the collector records every caught-error property returned. A stack used
 *   as a list (`stackDataMethods`) is no trace, an error whose try block only parses and checks
 *   (`localErrorCalls`) is the server's own, and code among `ignoredCode` (outside the server, a
 *   bundled dependency, start-up only) is not judged;
 * - probe: an error the server actually sent back while probing (a tool result with `isError: true`
 *   or a JSON-RPC error) carries a stack trace, an absolute path, a private-range or internal URL,
 *   SQL text, or a secret. The invalid-arguments call is the one most likely to provoke it.
 */
export const internalDetailInError = defineCheck('secrets/internal-detail-in-error', (context) => {
  const facts = sourceFacts(context.inventory);
  if (facts !== undefined) {
    const ignored = stringListOption(context.rule, 'ignoredCode');
    const dataMethods = new Set(stringListOption(context.rule, 'stackDataMethods'));
    for (const site of sitesOf(facts, 'error-stack-returned')) {
      // `this.stack` is the object's own field, and `env.stack.push(r)` uses a stack as a list (a parser's or a disposer's, as bundled libraries and tsc's `using` helpers keep): no caught error's trace.
      if (site.what === 'this.stack' || (typeof site.detail.method === 'string' && dataMethods.has(site.detail.method))) continue;
      if (!inIgnoredCode(facts, site, ignored)) context.report(siteFinding(facts, site, 'stackReturned'));
    }
    const raw = new Set(stringListOption(context.rule, 'rawErrorProperties'));
    const localCalls = stringListOption(context.rule, 'localErrorCalls');
    for (const site of sitesOf(facts, 'caught-error-returned')) {
      if (!raw.has(String(site.detail.property)) || inIgnoredCode(facts, site, ignored) || localError(site, localCalls)) continue;
      context.report(siteFinding(facts, site, 'rawErrorReturned'));
    }
  }
  if (context.inventory.probe !== undefined) judgeProbe(context);
});

/**
 * A caught error no upstream raised: its `try` block awaits nothing and calls only `localErrorCalls`
 * (parsing the caller's input, string tests, constructing the server's own errors). Facts recorded
 * without the try block's calls are judged.
 */
function localError(site: CodeSite, localCalls: readonly string[]): boolean {
  if (typeof site.detail.tryCalls !== 'string' || site.detail.tryAwaits !== false) return false;
  const calls = site.detail.tryCalls === '' ? [] : site.detail.tryCalls.split(',');
  return calls.every((callee) => calleeMatches(callee, localCalls));
}

interface Detail {
  id: 'stackTrace' | 'absolutePath' | 'internalUrl' | 'sqlText';
  regex: RegExp;
}

const DETAILS: readonly Detail[] = [
  // `at fn (file:line:col)`, `at file:line:col`, `at async fn (...)`
  { id: 'stackTrace', regex: /^\s*at\s+(?:async\s+)?(?:[^\s()]+\s+)?\(?(?:file:\/\/)?[^\s()]+:\d+:\d+\)?\s*$/m },
  // A file-system path: under a well-known root, or ending in a source/data file name; not an API route (`/api/v1/users`).
  {
    id: 'absolutePath',
    regex:
      /(?<![\w.:/~-])(?:\/(?:home|Users|root|usr|var|srv|opt|app|tmp|etc|mnt|workspace|private|data)\/[\w.@-]+(?:\/[\w.@-]+)*|(?:\/[\w.@-]+)+\/[\w@-]+\.(?:[cm]?[jt]sx?|py|go|rb|java|rs|php|json|sql|db|sqlite|log|conf|ini|ya?ml|env|pem|key)\b|[A-Za-z]:\\(?:[\w .@-]+\\)+[\w .@-]+)/,
  },
  {
    id: 'internalUrl',
    regex:
      /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|169\.254\.\d{1,3}\.\d{1,3}|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[?::1\]?|[\w-]+(?:\.[\w-]+)*\.(?:internal|local|localdomain|corp|lan|intranet|svc\.cluster\.local))(?::\d+)?(?![\w-])/i,
  },
  // Upper-case keywords, as databases echo them; prose ("select a file from") stays out.
  {
    id: 'sqlText',
    regex: /\b(?:SELECT\s+(?:[\w*."`]+\s*,\s*)*[\w*."`]+\s+FROM\s+[\w."`]+|INSERT\s+INTO\s+[\w."`]+|UPDATE\s+[\w."`]+\s+SET\s+\w|DELETE\s+FROM\s+[\w."`]+)/,
  },
];

const EVIDENCE_CHARS = 160;

function judgeProbe(context: CheckContext): void {
  const { inventory, report } = context;
  if (nothingProbed(context)) return;
  for (const { capability, field, record } of probedCalls(inventory)) {
    if (!isErrorAnswer(record)) continue;
    const text = errorText(record);
    const errorField = `${field}.error`;
    for (const detail of DETAILS) {
      const match = detail.regex.exec(text);
      if (match === null) continue;
      report({
        messageId: detail.id,
        data: { detail: match[0].trim().slice(0, EVIDENCE_CHARS), call: field === 'probe.invalid' ? 'invalid arguments' : 'a probe call' },
        capability,
        field: errorField,
        evidence: match[0].trim().slice(0, EVIDENCE_CHARS),
        evidenceKind: 'probe',
      });
    }
    for (const secret of record.secrets ?? []) {
      if (secret.where !== 'error') continue;
      report({
        messageId: 'secret',
        data: { kind: secret.kind, detail: secret.masked, call: field === 'probe.invalid' ? 'invalid arguments' : 'a probe call' },
        capability,
        field: errorField,
        evidence: `${secret.kind}: ${secret.masked}`,
        evidenceKind: 'probe',
      });
    }
  }
}
