import type {
  Capability,
  ListKind,
  MalformedItem,
  PromptArgument,
  PromptCapability,
  ResourceCapability,
  ResourceTemplateCapability,
  ToolCapability,
} from '../inventory/model.js';
import { boundValue, type CutStrings } from '../inventory/bounded.js';
import { excerpt, type RawItem } from './enumerate.js';

/**
 * Per-item validation of raw list pages. An item with a usable name is kept (fields of the wrong
 * type are dropped and recorded as problems) so rules can still judge it; an item that cannot be
 * identified is recorded as malformed only. Tool input schemas are kept as served, whatever their
 * shape: judging them is the schema rules' job. Every string in an item is bounded first
 * (inventory/bounded.ts): a cut string keeps its prefix, and the capability's `cut` records its full
 * length and hash, so size rules still judge the whole.
 */

type Fields = Record<string, unknown>;

interface Normalised<T> {
  capability?: T;
  problems: string[];
}

function optionalString(item: Fields, key: string, problems: string[]): string | undefined {
  const value = item[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  problems.push(`"${key}" is ${typeName(value)}, not a string`);
  return undefined;
}

function optionalObject(item: Fields, key: string, problems: string[]): Record<string, unknown> | undefined {
  const value = item[key];
  if (value === undefined || value === null) return undefined;
  if (isPlainObject(value)) return value;
  problems.push(`"${key}" is ${typeName(value)}, not an object`);
  return undefined;
}

function optionalArray(item: Fields, key: string, problems: string[]): unknown[] | undefined {
  const value = item[key];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value as unknown[];
  problems.push(`"${key}" is ${typeName(value)}, not an array`);
  return undefined;
}

function requiredString(item: Fields, key: string, problems: string[]): string | undefined {
  const value = item[key];
  if (typeof value === 'string' && value.length > 0) return value;
  problems.push(value === undefined ? `"${key}" is missing` : `"${key}" is ${typeName(value)}, not a non-empty string`);
  return undefined;
}

function base(item: Fields, problems: string[]) {
  return {
    title: optionalString(item, 'title', problems),
    description: optionalString(item, 'description', problems),
    icons: optionalArray(item, 'icons', problems),
    _meta: optionalObject(item, '_meta', problems),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function normaliseTool(item: Fields, origin: RawItem): Normalised<ToolCapability> {
  const problems: string[] = [];
  const name = requiredString(item, 'name', problems);
  const annotations = optionalObject(item, 'annotations', problems);
  const execution = optionalObject(item, 'execution', problems);
  if (name === undefined) return { problems };
  const capability: ToolCapability = withoutUndefined({
    kind: 'tool' as const,
    name,
    ...base(item, problems),
    inputSchema: item.inputSchema,
    outputSchema: item.outputSchema,
    annotations,
    execution,
    origin: { live: { page: origin.page, index: origin.index } },
  });
  // The schema rules judge absent/invalid input schemas; keep the raw value (even null) for them.
  if ('inputSchema' in item) capability.inputSchema = item.inputSchema;
  return { capability, problems };
}

function normaliseResource(item: Fields, origin: RawItem): Normalised<ResourceCapability> {
  const problems: string[] = [];
  const uri = requiredString(item, 'uri', problems);
  const name = requiredString(item, 'name', problems);
  const size = item.size;
  if (size !== undefined && typeof size !== 'number') problems.push(`"size" is ${typeName(size)}, not a number`);
  const rest = {
    ...base(item, problems),
    mimeType: optionalString(item, 'mimeType', problems),
    annotations: optionalObject(item, 'annotations', problems),
  };
  if (uri === undefined) return { problems };
  return {
    capability: withoutUndefined({
      kind: 'resource' as const,
      uri,
      name: name ?? uri,
      ...rest,
      size: typeof size === 'number' ? size : undefined,
      origin: { live: { page: origin.page, index: origin.index } },
    }),
    problems,
  };
}

function normaliseTemplate(item: Fields, origin: RawItem): Normalised<ResourceTemplateCapability> {
  const problems: string[] = [];
  const uriTemplate = requiredString(item, 'uriTemplate', problems);
  const name = requiredString(item, 'name', problems);
  const rest = {
    ...base(item, problems),
    mimeType: optionalString(item, 'mimeType', problems),
    annotations: optionalObject(item, 'annotations', problems),
  };
  if (uriTemplate === undefined) return { problems };
  return {
    capability: withoutUndefined({
      kind: 'resourceTemplate' as const,
      uriTemplate,
      name: name ?? uriTemplate,
      ...rest,
      origin: { live: { page: origin.page, index: origin.index } },
    }),
    problems,
  };
}

function normalisePrompt(item: Fields, origin: RawItem): Normalised<PromptCapability> {
  const problems: string[] = [];
  const name = requiredString(item, 'name', problems);
  const rawArguments = optionalArray(item, 'arguments', problems);
  const promptArguments: PromptArgument[] = [];
  rawArguments?.forEach((argument, index) => {
    if (!isPlainObject(argument) || typeof argument.name !== 'string') {
      problems.push(`arguments[${index}] has no string "name"`);
      return;
    }
    const argumentProblems: string[] = [];
    promptArguments.push(
      withoutUndefined({
        name: argument.name,
        title: optionalString(argument, 'title', argumentProblems),
        description: optionalString(argument, 'description', argumentProblems),
        required: typeof argument.required === 'boolean' ? argument.required : undefined,
      }),
    );
    problems.push(...argumentProblems.map((problem) => `arguments[${index}]: ${problem}`));
  });
  const rest = base(item, problems);
  if (name === undefined) return { problems };
  return {
    capability: withoutUndefined({
      kind: 'prompt' as const,
      name,
      ...rest,
      arguments: rawArguments === undefined ? undefined : promptArguments,
      origin: { live: { page: origin.page, index: origin.index } },
    }),
    problems,
  };
}

const NORMALISERS: Record<ListKind, (item: Fields, origin: RawItem) => Normalised<Capability>> = {
  tools: normaliseTool,
  resources: normaliseResource,
  resourceTemplates: normaliseTemplate,
  prompts: normalisePrompt,
};

export function normaliseItems<T extends Capability>(list: ListKind, items: RawItem[]): { capabilities: T[]; malformed: MalformedItem[] } {
  const capabilities: T[] = [];
  const malformed: MalformedItem[] = [];
  for (const item of items) {
    if (!isPlainObject(item.raw)) {
      malformed.push({
        list,
        page: item.page,
        index: item.index,
        problems: [`the item is ${typeName(item.raw)}, not an object`],
        excerpt: excerpt(boundValue(item.raw, '', {})),
      });
      continue;
    }
    const cuts: CutStrings = {};
    const raw = boundValue(item.raw, '', cuts) as Fields;
    const { capability, problems } = NORMALISERS[list](raw, item);
    if (capability) {
      if (Object.keys(cuts).length > 0) capability.cut = cuts;
      capabilities.push(capability as T);
    }
    if (problems.length > 0) {
      const name = typeof raw.name === 'string' ? raw.name : undefined;
      malformed.push({ list, page: item.page, index: item.index, ...(name ? { name } : {}), problems, excerpt: excerpt(raw) });
    }
  }
  return { capabilities, malformed };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
