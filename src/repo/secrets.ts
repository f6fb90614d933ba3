import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { isPlaceholderSecret } from '../secrets/entropy.js';
import { findSecrets } from '../secrets/find.js';
import { maskValue } from '../secrets/mask.js';
import { patternFor, type SecretKind } from '../secrets/patterns.js';

/**
 * Secrets committed to the repository: credentials found in the project's text files, the
 * config file and server.json. Facts only (secrets/hardcoded-secret judges them), and never a raw
 * value: the inventory is printed by `discover --format json`, so each finding keeps its kind,
 * place and a masked preview (`ghp_****abcd`).
 *
 * Two detectors, deduplicated by position: secretlint's recommended preset (maintained provider
 * formats: AWS, GitHub, OpenAI, Anthropic, Slack, npm, GitLab, SendGrid, Shopify, GCP service
 * accounts, PEM keys with a real key body, database URLs, …) and the patterns of src/secrets for
 * what the preset has no rule for (JWTs, Stripe, Google API keys, random values under key-like
 * names). Where both find the same characters, secretlint's finding is kept.
 */

export interface CommittedSecret {
  /** Format, e.g. `github-token`, `jwt`, `key-value-secret`, `npm-token`. */
  kind: string;
  /** Relative to the repository root, `/` separators (`../…` for a config file outside it). */
  file: string;
  /** 1-based, UTF-16 columns; `end*` is the position after the secret. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The masked value: format prefix, `****`, at most the last four characters. */
  preview: string;
  /** The key-like name the value is assigned to (`API_KEY`), when the finding is a name/value pair. */
  name?: string;
  detector: 'secretlint' | 'patterns';
  /** Set when the allow-list covers it: a documented example key, or a `secrets.allow` entry of the config. */
  allowed?: { by: 'documented-example' | 'placeholder' | 'config'; reason: string };
}

export interface SecretFacts {
  /** What ran: `@secretlint/secretlint-rule-preset-recommend@<version>` and/or `mcp-preflight patterns`. */
  detectors: string[];
  scanned: { files: number; bytes: number };
  /** Files not read: binary, over the per-file bound, past the total bound, unreadable. */
  skipped: { binary: number; tooLarge: number; overBudget: number; unreadable: number };
  found: CommittedSecret[];
  /** Set when `found` stopped at MAX_FOUND. */
  truncated?: boolean;
  durationMs: number;
}

/** One `secrets.allow` entry of the config. `value` is the literal or its masked form (`AKIA****WXYZ`). */
export interface SecretAllowEntry {
  path?: string;
  value?: string;
  reason: string;
}

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
const MAX_FOUND = 1_000;

/** Keys published in vendors' documentation as examples (AWS IAM docs, jwt.io). */
export const DOCUMENTED_EXAMPLES: ReadonlyMap<string, string> = new Map([
  ['AKIAIOSFODNN7EXAMPLE', 'AWS documentation example access key id'],
  ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS documentation example secret access key'],
  [
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    'jwt.io example token',
  ],
]);

const BINARY_EXTENSIONS = new Set(
  'png jpg jpeg gif bmp ico webp avif tiff psd pdf zip gz tgz bz2 xz 7z rar jar war class so dylib dll exe bin o a wasm woff woff2 ttf otf eot mp3 mp4 mov avi wav flac ogg webm sqlite db lockb node pyc'.split(
    ' ',
  ),
);
/** Languages where `name = value` is code: a value counts only as a quoted literal, not `apiKey = readKey()`. */
const CODE_EXTENSIONS = new Set('ts tsx mts cts js jsx mjs cjs py rb go rs java kt kts scala cs php swift c cc cpp h hpp dart lua vue svelte'.split(' '));
/** Our patterns the preset does better: its private-key rule checks the key body (no `...` placeholders). */
const LEFT_TO_SECRETLINT = new Set<SecretKind>(['private-key']);

interface Candidate {
  kind: string;
  start: number;
  end: number;
  value: string;
  detector: CommittedSecret['detector'];
  name?: string;
}

type LintSource = (typeof import('@secretlint/core'))['lintSource'];
type CoreConfig = Parameters<LintSource>[0]['options']['config'];
interface Secretlint {
  lint: LintSource;
  config: CoreConfig;
  label: string;
}

export interface SecretScanOptions {
  /** Files outside `repo.files` to scan too (the config file, server.json), absolute. */
  extraFiles?: string[];
  allow?: readonly SecretAllowEntry[];
}

export async function collectSecretFacts(repo: { root: string; files: readonly string[] }, options: SecretScanOptions = {}): Promise<SecretFacts> {
  const started = performance.now();
  const secretlint = await loadSecretlint();
  const allow = compileAllow(options.allow ?? []);
  const facts: SecretFacts = {
    detectors: [...(secretlint ? [secretlint.label] : []), 'mcp-preflight patterns'],
    scanned: { files: 0, bytes: 0 },
    skipped: { binary: 0, tooLarge: 0, overBudget: 0, unreadable: 0 },
    found: [],
    durationMs: 0,
  };
  const seen = new Set<string>();
  const files = [...repo.files.map((file) => path.join(repo.root, file)), ...(options.extraFiles ?? []).map((file) => path.resolve(file))];
  for (const absolute of files) {
    if (facts.truncated) break;
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    const relative = path.relative(repo.root, absolute).split(path.sep).join('/');
    const text = readText(absolute, facts);
    if (text === undefined) continue;
    const starts = lineStarts(text);
    for (const candidate of await detect(text, relative, secretlint)) {
      if (facts.found.length >= MAX_FOUND) {
        facts.truncated = true;
        break;
      }
      facts.found.push(toFact(candidate, starts, relative, allow));
    }
  }
  facts.durationMs = Math.round(performance.now() - started);
  return facts;
}

function readText(file: string, facts: SecretFacts): string | undefined {
  const extension = path.extname(file).slice(1).toLowerCase();
  if (BINARY_EXTENSIONS.has(extension)) {
    facts.skipped.binary += 1;
    return undefined;
  }
  let size: number;
  try {
    // lstat: a committed symlink may point anywhere (~/.aws/credentials); what it points at is not the repository's.
    const stats = lstatSync(file);
    if (!stats.isFile()) return undefined;
    size = stats.size;
  } catch {
    facts.skipped.unreadable += 1;
    return undefined;
  }
  if (size > MAX_FILE_BYTES) {
    facts.skipped.tooLarge += 1;
    return undefined;
  }
  if (facts.scanned.bytes + size > MAX_TOTAL_BYTES) {
    facts.skipped.overBudget += 1;
    return undefined;
  }
  let buffer: Buffer;
  try {
    const descriptor = openSync(file, 'r');
    try {
      buffer = Buffer.alloc(size);
      let length = 0;
      for (let read = -1; read !== 0 && length < size; length += read) read = readSync(descriptor, buffer, length, size - length, null);
      buffer = buffer.subarray(0, length);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    facts.skipped.unreadable += 1;
    return undefined;
  }
  if (buffer.subarray(0, 8000).includes(0)) {
    facts.skipped.binary += 1;
    return undefined;
  }
  facts.scanned.files += 1;
  facts.scanned.bytes += buffer.length;
  return buffer.toString('utf8');
}

async function loadSecretlint(): Promise<Secretlint | undefined> {
  try {
    const [{ lintSource }, preset, { secretLintProfiler }] = await Promise.all([
      import('@secretlint/core'),
      import('@secretlint/secretlint-rule-preset-recommend'),
      import('@secretlint/profiler'),
    ]);
    // secretlint marks every rule run on the global performance timeline, and its profiler keeps and
    // searches every entry: memory and time grow with the square of the files scanned (3 s of 4 on
    // this repository). We never read the profile, so its marks go nowhere.
    (secretLintProfiler as unknown as { perf: { mark(): void; measure(): void } }).perf = { mark: noMark, measure: noMark };
    const presetId = '@secretlint/secretlint-rule-preset-recommend';
    return {
      lint: lintSource,
      // The AWS rule reports access key ids only when asked; the id alone is what leaks most often.
      config: { rules: [{ id: presetId, rule: preset.creator, rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }] }] },
      label: `${presetId}@${PRESET_VERSION}`,
    };
  } catch {
    // The patterns of src/secrets alone still cover every format of the catalogue.
    return undefined;
  }
}

const noMark = (): void => undefined;

/** Pinned: 12.0.0 is the last release whose `engines` allows Node 20 (12.1 and later want Node 22). */
const PRESET_VERSION = '12.0.0';

/** secretlint rule → our kind name, where we have the same format (so masking keeps the same prefix). */
const SECRETLINT_KINDS: Record<string, string> = {
  'aws/AWSAccessKeyID': 'aws-access-key-id',
  'aws/AWSSecretAccessKey': 'aws-secret-access-key',
  'aws/AWSAccountID': 'aws-account-id',
  github: 'github-token',
  openai: 'openai-api-key',
  anthropic: 'anthropic-api-key',
  slack: 'slack-token',
  privatekey: 'private-key',
  basicauth: 'url-password',
  'database-connection-string': 'database-connection-string',
  gcp: 'gcp-service-account-key',
  npm: 'npm-token',
};

function secretlintKind(ruleId: string, messageId: string): string {
  const short = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return SECRETLINT_KINDS[`${short}/${messageId}`] ?? SECRETLINT_KINDS[short] ?? `${short}-secret`;
}

async function detect(text: string, file: string, secretlint: Secretlint | undefined): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  if (secretlint !== undefined) {
    try {
      const result = await secretlint.lint({
        source: { content: text, filePath: file, contentType: 'text' },
        options: { config: secretlint.config, maskSecrets: false },
      });
      for (const message of result.messages) {
        const [start, end] = secretSpan(text, message.range, message.data);
        if (end > start)
          candidates.push({ kind: secretlintKind(message.ruleId, message.messageId), start, end, value: text.slice(start, end), detector: 'secretlint' });
      }
    } catch {
      // A rule that throws on odd input must not hide what the patterns find.
    }
  }
  const code = CODE_EXTENSIONS.has(path.extname(file).slice(1).toLowerCase());
  for (const match of findSecrets(text)) {
    if (secretlint !== undefined && LEFT_TO_SECRETLINT.has(match.kind)) continue;
    const name = match.kind === 'key-value-secret' ? assignedName(text, match.start) : undefined;
    if (match.kind === 'key-value-secret' && !plausibleAssignedSecret(text, match, name, code)) continue;
    candidates.push({ kind: match.kind, start: match.start, end: match.end, value: match.value, detector: 'patterns', ...(name ? { name } : {}) });
  }
  // Keep one finding per stretch of characters: secretlint's first, then the earlier, then the longer.
  candidates.sort((a, b) => a.start - b.start || (a.detector === b.detector ? b.end - a.end : a.detector === 'secretlint' ? -1 : 1));
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const overlapping = kept.findIndex((other) => candidate.start < other.end && other.start < candidate.end);
    if (overlapping === -1) kept.push(candidate);
    else if (candidate.detector === 'secretlint' && kept[overlapping]!.detector === 'patterns') kept[overlapping] = candidate;
  }
  return kept;
}

/**
 * secretlint reports a range that may start at the key name (`AWS_SECRET_ACCESS_KEY = "…`) and puts
 * the secret itself in the message data; narrow the range to the secret when it can be found there.
 */
function secretSpan(text: string, range: readonly [number, number], data: unknown): [number, number] {
  const values =
    typeof data === 'object' && data !== null ? Object.values(data).filter((value): value is string => typeof value === 'string' && value.length >= 6) : [];
  let [start, end] = [range[0], range[1]];
  for (const value of values) {
    const at = text.indexOf(value, Math.max(0, range[0]));
    if (at !== -1 && at <= range[1]) {
      [start, end] = [at, at + value.length];
      break;
    }
  }
  // Some rules (database URLs) run on to the next space, over the closing quote and brackets.
  const stop = text.slice(start, end).search(/["'`<>]/);
  if (stop > 0) end = start + stop;
  while (end > start && /[)\]},;]/.test(text[end - 1]!)) end -= 1;
  return [start, end];
}

/**
 * The masking patterns hide anything that might be a secret; a finding must be likelier. Under a
 * key-like name in a file: a quoted literal in code (not `apiKey = readKey()` nor `? 'a' : 'b'`
 * words), never a YAML list or object, and for names other than passwords a value with a digit
 * (random keys of 16+ characters almost always have one; camelCase identifiers have none).
 */
function plausibleAssignedSecret(text: string, match: { start: number; end: number; value: string }, name: string | undefined, code: boolean): boolean {
  if (code && !quoted(text, match.start, match.end)) return false;
  if (/^[[{]/.test(match.value)) return false;
  return /pass(?:word|wd|phrase)/i.test(name ?? '') || /\d/.test(match.value);
}

function quoted(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  return (before === '"' || before === "'" || before === '`') && text[end] === before;
}

function assignedName(text: string, start: number): string | undefined {
  return /([A-Za-z][\w.-]{0,40})["']?[ \t]*[:=][ \t]*["'`]?$/.exec(text.slice(Math.max(0, start - 64), start))?.[1];
}

interface CompiledAllow {
  entry: SecretAllowEntry;
  matchesPath: (file: string) => boolean;
}

function compileAllow(entries: readonly SecretAllowEntry[]): CompiledAllow[] {
  return entries.map((entry) => ({ entry, matchesPath: entry.path === undefined ? () => true : picomatch(entry.path, { dot: true }) }));
}

function toFact(candidate: Candidate, starts: readonly number[], file: string, allow: readonly CompiledAllow[]): CommittedSecret {
  const start = positionAt(starts, candidate.start);
  const end = positionAt(starts, candidate.end);
  const preview = maskValue(candidate.value, patternFor(candidate.kind as SecretKind) ? (candidate.kind as SecretKind) : undefined);
  const fact: CommittedSecret = {
    kind: candidate.kind,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    preview,
    ...(candidate.name ? { name: candidate.name } : {}),
    detector: candidate.detector,
  };
  const example = DOCUMENTED_EXAMPLES.get(candidate.value);
  if (example !== undefined) return { ...fact, allowed: { by: 'documented-example', reason: example } };
  // `ghp_xxxx…`, `xoxb-your-bot-token`: a template in the credential's format, not a credential.
  if (isPlaceholderSecret(candidate.value)) return { ...fact, allowed: { by: 'placeholder', reason: 'a placeholder in the format of a credential' } };
  const entry = allow.find(
    ({ entry: { value }, matchesPath }) => matchesPath(file) && (value === undefined || value === candidate.value || value === preview),
  )?.entry;
  return entry === undefined ? fact : { ...fact, allowed: { by: 'config', reason: entry.reason } };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}
