import type { Capability, CapabilityRef, Inventory } from '../inventory/model.js';
import { capabilityRef } from '../inventory/model.js';
import type { CutStrings } from '../inventory/bounded.js';
import { isRecord, joinPath } from './json-schema.js';

/**
 * Every string of the inventory that a client may put in front of the model, with the field it came
 * from. The three text rules (instructions, hidden characters, secrets) walk the same list, so a new
 * field is added here once.
 */
export type TextRole =
  /** Server `instructions`: MAY be added to the system prompt. */
  | 'instructions'
  | 'title'
  | 'description'
  /** Schema `enum`/`const`/`default`/`examples`/`example` values (non-strings as JSON text). */
  | 'value'
  /** Capability, property and argument names. */
  | 'name'
  /** Resource URIs, URI templates, icon and website URLs. */
  | 'uri'
  /** `notifications/message` data (JSON text when not a string). */
  | 'log'
  /** Under --probe: messages of prompts got (`prompts/get`), server-authored text the model reads as instructions. */
  | 'prompt'
  /** Under --probe: tool results and errors, resource contents (data, not prose: only the secret rule reads them). */
  | 'output';

export interface VisibleText {
  capability: CapabilityRef;
  /** Where the text sits, e.g. `description`, `inputSchema.properties.path.description`. */
  field: string;
  role: TextRole;
  text: string;
  /** Set when `text` is a prefix the server's string was cut to (inventory/bounded.ts): the whole string's length in characters. */
  fullLength?: number;
  /** Set on text probing brought back (--probe): the request it answered, e.g. `tools/call read_notes`, `resources/read file:///x`. */
  probed?: ProbedText;
}

/** Where text that reached the model indirectly (a probe answer) came from. */
export interface ProbedText {
  method: 'tools/call' | 'resources/read' | 'prompts/get';
  /** The tool or prompt name, or the resource URI. */
  subject: string;
  /** Which part of the answer: a result, an error, its `structuredContent` or error data, resource contents, prompt messages. */
  part: 'result' | 'error' | 'error data' | 'structured content' | 'contents' | 'messages';
}

/** "in the result of tools/call read_notes", "in resource file:///x contents", "in the messages of prompts/get review". */
export function describeProbed(probed: ProbedText): string {
  if (probed.method === 'resources/read' && probed.part === 'contents') return `in resource ${probed.subject} contents`;
  return `in the ${probed.part} of ${probed.method} ${probed.subject}`;
}

export const PROSE_ROLES: readonly TextRole[] = ['instructions', 'title', 'description', 'value', 'prompt'];
export const ALL_ROLES: readonly TextRole[] = ['instructions', 'title', 'description', 'value', 'name', 'uri', 'log', 'prompt', 'output'];

const MAX_SCHEMA_DEPTH = 32;
const MAX_JSON_TEXT = 100_000;

function jsonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : text.slice(0, MAX_JSON_TEXT);
  } catch {
    return undefined;
  }
}

// Keywords whose value is one schema, a list of schemas, or a map of schemas.
const SCHEMA_KEYWORDS = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
const SCHEMA_MAP_KEYWORDS = ['patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/*
 * The capability walk pushes onto one array instead of yielding: it visits every schema of every tool
 * (10,000 tools: ~200,000 texts), and generators nested this deep cost more than the walk itself
 * (issue 18). Same texts, same order.
 */
function schemaTexts(schema: unknown, path: string, capability: CapabilityRef, depth: number, seen: Set<object>, out: VisibleText[]): void {
  if (!isRecord(schema) || depth > MAX_SCHEMA_DEPTH || seen.has(schema)) return;
  seen.add(schema);
  for (const role of ['title', 'description'] as const) {
    const text = schema[role];
    if (typeof text === 'string') out.push({ capability, field: joinPath(path, role), role, text });
  }
  // `example` (singular) is OpenAPI's, and common in hand-written tool schemas.
  for (const keyword of ['default', 'const', 'example']) {
    const text = jsonText(schema[keyword]);
    if (text !== undefined) out.push({ capability, field: joinPath(path, keyword), role: 'value', text });
  }
  for (const keyword of ['enum', 'examples']) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    for (const [index, item] of list.entries()) {
      const text = jsonText(item);
      if (text !== undefined) out.push({ capability, field: joinPath(joinPath(path, keyword), index), role: 'value', text });
    }
  }
  if (isRecord(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      const propertyPath = joinPath(joinPath(path, 'properties'), name);
      out.push({ capability, field: propertyPath, role: 'name', text: name });
      schemaTexts(property, propertyPath, capability, depth + 1, seen, out);
    }
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    if (isRecord(schema[keyword])) schemaTexts(schema[keyword], joinPath(path, keyword), capability, depth + 1, seen, out);
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    for (const [index, item] of list.entries()) {
      schemaTexts(item, joinPath(joinPath(path, keyword), index), capability, depth + 1, seen, out);
    }
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = schema[keyword];
    if (!isRecord(map)) continue;
    for (const [key, item] of Object.entries(map)) {
      schemaTexts(item, joinPath(joinPath(path, keyword), key), capability, depth + 1, seen, out);
    }
  }
}

function iconTexts(icons: unknown[] | undefined, base: string, capability: CapabilityRef, out: VisibleText[]): void {
  for (const [index, icon] of (icons ?? []).entries()) {
    if (isRecord(icon) && typeof icon.src === 'string') {
      out.push({ capability, field: joinPath(joinPath(base, 'icons'), index) + '.src', role: 'uri', text: icon.src });
    }
  }
}

function capabilityTexts(item: Capability, out: VisibleText[]): void {
  const capability = capabilityRef(item);
  out.push({ capability, field: 'name', role: 'name', text: item.name });
  if (typeof item.title === 'string') out.push({ capability, field: 'title', role: 'title', text: item.title });
  if (typeof item.description === 'string') out.push({ capability, field: 'description', role: 'description', text: item.description });
  iconTexts(item.icons, '', capability, out);
  switch (item.kind) {
    case 'tool':
      if (typeof item.annotations?.title === 'string') {
        out.push({ capability, field: 'annotations.title', role: 'title', text: item.annotations.title });
      }
      schemaTexts(item.inputSchema, 'inputSchema', capability, 0, new Set(), out);
      schemaTexts(item.outputSchema, 'outputSchema', capability, 0, new Set(), out);
      break;
    case 'resource':
      out.push({ capability, field: 'uri', role: 'uri', text: item.uri });
      break;
    case 'resourceTemplate':
      out.push({ capability, field: 'uriTemplate', role: 'uri', text: item.uriTemplate });
      break;
    case 'prompt':
      for (const argument of item.arguments ?? []) {
        const path = joinPath('arguments', argument.name);
        out.push({ capability, field: path, role: 'name', text: argument.name });
        if (typeof argument.title === 'string') out.push({ capability, field: `${path}.title`, role: 'title', text: argument.title });
        if (typeof argument.description === 'string') {
          out.push({ capability, field: `${path}.description`, role: 'description', text: argument.description });
        }
      }
      break;
  }
}

function* serverTexts(inventory: Inventory): Generator<VisibleText> {
  const capability: CapabilityRef = { kind: 'server' };
  const { info, instructions } = inventory.server;
  if (typeof instructions === 'string') yield { capability, field: 'instructions', role: 'instructions', text: instructions };
  if (typeof info.name === 'string') yield { capability, field: 'serverInfo.name', role: 'name', text: info.name };
  if (typeof info.title === 'string') yield { capability, field: 'serverInfo.title', role: 'title', text: info.title };
  if (typeof info.description === 'string') yield { capability, field: 'serverInfo.description', role: 'description', text: info.description };
  if (typeof info.websiteUrl === 'string') yield { capability, field: 'serverInfo.websiteUrl', role: 'uri', text: info.websiteUrl };
  const icons: VisibleText[] = [];
  iconTexts(info.icons, 'serverInfo', capability, icons);
  yield* icons;
}

function* logTexts(inventory: Inventory): Generator<VisibleText> {
  for (const notification of inventory.logNotifications) {
    const text = jsonText(notification.data) ?? (notification.data === undefined ? undefined : String(notification.data));
    // No index in the field: notification order varies between runs and fingerprints must not.
    if (text !== undefined) yield { capability: { kind: 'server' }, field: 'logNotifications.data', role: 'log', text };
    if (typeof notification.logger === 'string')
      yield { capability: { kind: 'server' }, field: 'logNotifications.logger', role: 'log', text: notification.logger };
  }
}

/** What probing brought back (`inventory.probe`, only with --probe): tool results and errors, resource contents, prompt messages. */
function* probeTexts(inventory: Inventory): Generator<VisibleText> {
  const probe = inventory.probe;
  if (probe === undefined) return;
  for (const tool of probe.tools) {
    const capability: CapabilityRef = { kind: 'tool', name: tool.name };
    const probed = (part: ProbedText['part']): ProbedText => ({ method: 'tools/call', subject: tool.name, part });
    for (const [call, record] of [
      ['invalid', tool.invalid],
      ['valid', tool.valid],
    ] as const) {
      if (record === undefined) continue;
      // A tool error (`isError: true`) is still the tool's answer; a JSON-RPC error is the error.
      const failed = record.error !== undefined || record.isError === true;
      if (record.text !== '')
        yield {
          capability,
          field: `probe.${call}.${record.error ? 'error' : 'result'}`,
          role: 'output',
          text: record.text,
          probed: probed(failed ? 'error' : 'result'),
        };
      if (record.error?.data !== undefined)
        yield { capability, field: `probe.${call}.error.data`, role: 'output', text: record.error.data, probed: probed('error data') };
      const structured = record.structuredContent === undefined ? undefined : jsonText(record.structuredContent);
      if (structured !== undefined)
        yield { capability, field: `probe.${call}.structuredContent`, role: 'output', text: structured, probed: probed('structured content') };
    }
  }
  for (const resource of probe.resources) {
    if (resource.read.text !== '') {
      const part = resource.read.error ? 'error' : 'contents';
      yield {
        capability: { kind: 'resource', name: resource.name },
        field: 'probe.read',
        role: 'output',
        text: resource.read.text,
        probed: { method: 'resources/read', subject: resource.uri, part },
      };
    }
  }
  for (const prompt of probe.prompts) {
    if (prompt.get !== undefined && prompt.get.text !== '') {
      const probed: ProbedText = { method: 'prompts/get', subject: prompt.name, part: prompt.get.error ? 'error' : 'messages' };
      yield {
        capability: { kind: 'prompt', name: prompt.name },
        field: 'probe.messages',
        role: prompt.get.error ? 'output' : 'prompt',
        text: prompt.get.text,
        probed,
      };
    }
  }
}

/** Model-visible strings of the inventory with the given roles, in inventory order. */
export function* modelVisibleText(inventory: Inventory, roles: readonly TextRole[] = ALL_ROLES): Generator<VisibleText> {
  const wanted = new Set(roles);
  for (const text of allTexts(inventory)) if (wanted.has(text.role)) yield text;
}

/**
 * Several rules walk the same texts: they are collected once per inventory and kept while the
 * inventory's lists are the same objects of the same lengths (an inventory extended later, e.g. by
 * probing, is walked afresh). The entries are shared between the rules, which only read them.
 */
const collected = new WeakMap<Inventory, { parts: readonly unknown[]; texts: readonly VisibleText[] }>();

function allTexts(inventory: Inventory): readonly VisibleText[] {
  const lists = [inventory.tools, inventory.resources, inventory.resourceTemplates, inventory.prompts, inventory.logNotifications];
  const parts = [inventory.server, inventory.probe, ...lists, ...lists.map((list) => list.length)];
  const cached = collected.get(inventory);
  if (cached !== undefined && cached.parts.every((part, index) => part === parts[index])) return cached.texts;
  const texts: VisibleText[] = [];
  withFullLength([...serverTexts(inventory)], inventory.server.cut, texts);
  const one: VisibleText[] = [];
  for (const list of [inventory.tools, inventory.resources, inventory.resourceTemplates, inventory.prompts] as const) {
    for (const item of list) {
      one.length = 0;
      capabilityTexts(item, one);
      withFullLength(one, item.cut, texts);
    }
  }
  for (const text of logTexts(inventory)) texts.push(text);
  for (const text of probeTexts(inventory)) texts.push(text);
  collected.set(inventory, { parts, texts });
  return texts;
}

/** Appends `texts` to `out`, each one a string was cut from (inventory/bounded.ts) with its whole length. */
function withFullLength(texts: readonly VisibleText[], cut: CutStrings | undefined, out: VisibleText[]): void {
  if (cut === undefined) {
    for (const text of texts) out.push(text);
    return;
  }
  for (const text of texts) {
    const whole = cut[text.field];
    out.push(whole === undefined ? text : { ...text, fullLength: whole.length });
  }
}
