import type { Client } from '@modelcontextprotocol/client';
import type { ToolCapability } from '../inventory/model.js';
import { isRecord } from '../checks/json-schema.js';
import { findSecrets, maskValue } from '../secrets/index.js';
import { boundText, createSanitiser, jsonBytes, type Sanitiser } from './sanitise.js';
import type { CallRecord, ContentItem } from './types.js';

/** Accepts any result: the client's typed calls would validate (and reject) what we want to judge. */
const anyResult = {
  '~standard': {
    version: 1 as const,
    vendor: 'mcp-preflight',
    validate: (value: unknown) => ({ value }),
  },
};

export interface CallBounds {
  timeoutMs: number;
  /** The target's deadline: aborts the call when the whole budget runs out. */
  signal?: AbortSignal;
  /** Bytes of text kept in the record. */
  maxTextBytes: number;
  sanitiser: Sanitiser;
}

/** Text beyond this is not even masked: it is cut first (masking scans a bounded prefix). */
const PRE_MASK_BYTES = 1024 * 1024;
const MAX_STRUCTURED_BYTES = 64 * 1024;
const MAX_SENT_CHARS = 2_000;
const MAX_ERROR_CHARS = 4_000;

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

function stripSdkPrefix(message: string): string {
  return message.replace(/^(?:MCP error -?\d+: )+/, '');
}

function maskedBounded(text: string, maxBytes: number, sanitiser: Sanitiser): { text: string; truncated: boolean } {
  const pre = boundText(text, PRE_MASK_BYTES);
  const bounded = boundText(sanitiser.text(pre.text), maxBytes);
  return { text: bounded.text, truncated: pre.truncated || bounded.truncated };
}

function contentItems(list: unknown): { items: ContentItem[]; texts: string[] } {
  const items: ContentItem[] = [];
  const texts: string[] = [];
  if (!Array.isArray(list)) return { items, texts };
  for (const block of list.slice(0, 1_000)) {
    if (!isRecord(block)) continue;
    const type = typeof block.type === 'string' ? block.type : 'unknown';
    const item: ContentItem = { type, bytes: jsonBytes(block) };
    if (typeof block.mimeType === 'string') item.mimeType = block.mimeType;
    if (typeof block.text === 'string') texts.push(block.text);
    const resource = isRecord(block.resource) ? block.resource : undefined;
    if (resource !== undefined) {
      if (typeof resource.uri === 'string') item.uri = resource.uri;
      if (typeof resource.text === 'string') texts.push(resource.text);
      if (typeof resource.mimeType === 'string') item.mimeType = resource.mimeType;
    }
    if (typeof block.uri === 'string') item.uri = block.uri;
    items.push(item);
  }
  return { items, texts };
}

/** Model-visible text and content blocks of a tools/call, resources/read or prompts/get result. */
function resultTexts(method: CallRecord['method'], result: Record<string, unknown>): { items: ContentItem[]; texts: string[] } {
  if (method === 'tools/call') return contentItems(result.content);
  if (method === 'resources/read') {
    const contents: unknown[] = Array.isArray(result.contents) ? result.contents : [];
    return contentItems(contents.map((entry) => (isRecord(entry) ? { type: typeof entry.blob === 'string' ? 'blob' : 'text', ...entry } : entry)));
  }
  const items: ContentItem[] = [];
  const texts: string[] = typeof result.description === 'string' ? [result.description] : [];
  for (const message of Array.isArray(result.messages) ? result.messages.slice(0, 1_000) : []) {
    if (!isRecord(message)) continue;
    const blocks = contentItems(Array.isArray(message.content) ? message.content : [message.content]);
    items.push(...blocks.items);
    texts.push(...blocks.texts);
  }
  return { items, texts };
}

const MAX_SECRETS = 20;

/** Secrets in the raw texts, before masking hides them (format and masked value only). */
function secretsIn(parts: Array<[NonNullable<CallRecord['secrets']>[number]['where'], string | undefined]>): CallRecord['secrets'] {
  const found: NonNullable<CallRecord['secrets']> = [];
  const seen = new Set<string>();
  for (const [where, text] of parts) {
    if (text === undefined || text === '') continue;
    for (const secret of findSecrets(boundText(text, PRE_MASK_BYTES).text)) {
      const masked = maskValue(secret.value, secret.kind);
      const key = `${where}\u0000${secret.kind}\u0000${masked}`;
      if (seen.has(key) || found.length >= MAX_SECRETS) continue;
      seen.add(key);
      found.push({ kind: secret.kind, masked, where });
    }
  }
  return found.length === 0 ? undefined : found;
}

function jsonTextOf(value: unknown): string | undefined {
  try {
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** True when one of the text blocks parses to exactly `structured`. */
function mirrors(texts: string[], structured: unknown): boolean {
  return texts.some((text) => {
    if (text.length > 4 * MAX_STRUCTURED_BYTES) return false;
    try {
      return deepEqual(JSON.parse(text), structured);
    } catch {
      return false;
    }
  });
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown })?.code;
}

function isTimeout(error: unknown, signal: AbortSignal | undefined): boolean {
  const code = errorCode(error);
  return code === 'REQUEST_TIMEOUT' || code === -32001 || signal?.aborted === true || /timed? ?out/i.test(error instanceof Error ? error.message : '');
}

/**
 * One bounded request: a timeout always (never a hang), the result masked and cut to the bound,
 * the latency and real byte count recorded. Never throws.
 */
export async function sendProbeRequest(client: Client, method: CallRecord['method'], params: Record<string, unknown>, bounds: CallBounds): Promise<CallRecord> {
  const sent = boundText(bounds.sanitiser.text(JSON.stringify(method === 'tools/call' ? (params.arguments ?? {}) : params)), MAX_SENT_CHARS).text;
  const started = performance.now();
  const base = { method, sent, content: [] as ContentItem[], text: '', truncated: false, hasStructuredContent: false };
  let result: unknown;
  try {
    result = await client.request({ method, params }, anyResult, {
      timeout: Math.max(1, bounds.timeoutMs),
      ...(bounds.signal ? { signal: bounds.signal } : {}),
    });
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const code = errorCode(error);
    if (typeof code === 'number' && code !== -32001) {
      const message = maskedBounded(stripSdkPrefix(error instanceof Error ? error.message : String(error)), MAX_ERROR_CHARS, bounds.sanitiser).text;
      const rawData = (error as { data?: unknown }).data;
      const data =
        rawData === undefined
          ? undefined
          : maskedBounded(typeof rawData === 'string' ? rawData : (JSON.stringify(rawData) ?? ''), MAX_ERROR_CHARS, bounds.sanitiser).text;
      const secrets = secretsIn([
        ['error', error instanceof Error ? error.message : String(error)],
        ['error', jsonTextOf(rawData)],
      ]);
      return {
        ...base,
        outcome: 'rpc-error',
        latencyMs,
        bytes: jsonBytes({ code, message, data: rawData }),
        error: { code, message, ...(data === undefined ? {} : { data }) },
        text: message,
        ...(secrets ? { secrets } : {}),
      };
    }
    const timeout = isTimeout(error, bounds.signal);
    const message = timeout
      ? `no answer within ${bounds.timeoutMs} ms`
      : maskedBounded(stripSdkPrefix(error instanceof Error ? error.message : String(error)), 500, bounds.sanitiser).text;
    return { ...base, outcome: timeout ? 'timeout' : 'failed', latencyMs, bytes: 0, error: { message } };
  }
  const latencyMs = Math.round(performance.now() - started);
  const record = isRecord(result) ? result : {};
  const { items, texts } = resultTexts(method, record);
  const joined = maskedBounded(texts.join('\n'), bounds.maxTextBytes, bounds.sanitiser);
  const out: CallRecord = { ...base, outcome: 'result', latencyMs, bytes: jsonBytes(result), content: items, text: joined.text, truncated: joined.truncated };
  const secrets = secretsIn([
    [record.isError === true ? 'error' : 'text', texts.join('\n')],
    ['structuredContent', jsonTextOf(record.structuredContent)],
  ]);
  if (secrets) out.secrets = secrets;
  if (method === 'tools/call') {
    out.isError = record.isError === true;
    if ('structuredContent' in record && record.structuredContent !== undefined) {
      out.hasStructuredContent = true;
      out.structuredMirrored = mirrors(texts, record.structuredContent);
      if (jsonBytes(record.structuredContent) <= MAX_STRUCTURED_BYTES) out.structuredContent = bounds.sanitiser.deep(record.structuredContent);
      else out.structuredTruncated = true;
    }
  }
  return out;
}

export type Eligibility = { callable: true; reason: string } | { callable: false; reason: string };

/**
 * The one safety decision: a tool is called only when marked `readOnlyHint: true`, or named in
 * `probe.allow`, and never when marked `destructiveHint: true`, whatever the allow list says.
 */
export function probeEligibility(tool: Pick<ToolCapability, 'name' | 'annotations'>, allow: readonly string[]): Eligibility {
  const annotations = tool.annotations;
  // Anything but an explicit `false` (or nothing) counts as destructive: `"true"`, `1` never get a call.
  const destructive = annotations?.destructiveHint !== undefined && annotations.destructiveHint !== null && annotations.destructiveHint !== false;
  if (destructive) {
    return {
      callable: false,
      reason: allow.includes(tool.name) ? 'destructiveHint: true — never called, even though probe.allow lists it' : 'destructiveHint: true — never called',
    };
  }
  if (annotations?.readOnlyHint === true) return { callable: true, reason: 'readOnlyHint: true' };
  if (allow.includes(tool.name)) return { callable: true, reason: 'listed in probe.allow' };
  return { callable: false, reason: 'not marked readOnlyHint: true and not listed in probe.allow' };
}

export interface CallToolOptions {
  allow?: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  maxTextBytes?: number;
  /** Values to mask literally (the server's declared env or header values). */
  knownValues?: readonly string[];
}

/**
 * Calls one tool safely, for other collectors (e.g. a kill-switch check that expects a "disabled"
 * answer): refuses a tool the probe rules would not call, bounds time and output, masks everything.
 */
export async function callToolSafely(
  client: Client,
  tool: Pick<ToolCapability, 'name' | 'annotations'>,
  args: Record<string, unknown>,
  options: CallToolOptions = {},
): Promise<{ called: true; record: CallRecord } | { called: false; reason: string }> {
  const eligibility = probeEligibility(tool, options.allow ?? []);
  if (!eligibility.callable) return { called: false, reason: eligibility.reason };
  const record = await sendProbeRequest(
    client,
    'tools/call',
    { name: tool.name, arguments: args },
    {
      timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      maxTextBytes: options.maxTextBytes ?? 16 * 1024,
      sanitiser: createSanitiser(options.knownValues),
    },
  );
  return { called: true, record };
}
