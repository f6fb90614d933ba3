import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'yaml';
import { yaml } from '../util/lazy-yaml.js';

/**
 * The MCP registry manifest, `server.json` (https://static.modelcontextprotocol.io/schemas/…/server.schema.json):
 * name, version, repository, and `packages[].environmentVariables` (with `isSecret`). Read as facts
 * for the repository rules; never judged here.
 */
export interface ServerJsonFacts {
  /** Absolute path of the file that was read. */
  file: string;
  /** The document, when it is valid JSON (within the size bound). */
  parsed?: unknown;
  /** Why `parsed` is absent: unreadable, too large, or not JSON (one line, with the JSON error). */
  parseError?: string;
  /**
   * 1-based line of each JSON pointer in the document (`/name`, `/packages/0/environmentVariables/1`,
   * `/packages/0/environmentVariables/1/name`, …): for an object member the line of its key, for an
   * array item the line it starts on. `""` is the document itself. Bounded (see MAX_POINTERS).
   */
  lines: Record<string, number>;
}

/** A manifest is a few KiB; anything past this is not one we should spend memory on. */
export const MAX_SERVER_JSON_BYTES = 1024 * 1024;
const MAX_POINTERS = 5_000;
const MAX_DEPTH = 12;

/** `server.json` in the package directory, else at the repository root; undefined when neither has one. */
export function readServerJson(repo: { root: string; packageDir: string }): ServerJsonFacts | undefined {
  for (const directory of [...new Set([repo.packageDir, repo.root])]) {
    const file = path.join(directory, 'server.json');
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      continue;
    }
    if (isFile) return parseServerJsonFile(file);
  }
  return undefined;
}

/** Reads and parses one manifest. Never throws: a bad file yields `parseError`. */
export function parseServerJsonFile(file: string): ServerJsonFacts {
  const absolute = path.resolve(file);
  let text: string;
  try {
    const read = readBounded(absolute, MAX_SERVER_JSON_BYTES);
    if (read.truncated) return { file: absolute, parseError: `larger than ${MAX_SERVER_JSON_BYTES} bytes; not read`, lines: {} };
    text = read.text;
  } catch (error) {
    return { file: absolute, parseError: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, lines: {} };
  }
  return parseServerJsonText(text, absolute);
}

/** Parses manifest text (exposed for tests). */
export function parseServerJsonText(text: string, file: string): ServerJsonFacts {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { file, parseError: `not valid JSON: ${oneLine((error as Error).message)}`, lines: pointerLines(body) };
  }
  return { file, parsed, lines: pointerLines(body) };
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function readBounded(file: string, limit: number): { text: string; truncated: boolean } {
  const descriptor = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= limit;) {
      read = readSync(descriptor, buffer, length, buffer.length - length, null);
      length += read;
    }
    return { text: buffer.subarray(0, Math.min(length, limit)).toString('utf8'), truncated: length > limit };
  } finally {
    closeSync(descriptor);
  }
}

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * JSON pointer → line. JSON is YAML 1.2 flow syntax, so the yaml parser (already a dependency, and
 * the one the config loader uses) gives every node's offset; JSON.parse stays the judge of validity.
 * Best effort: on text it cannot read, the map is as far as it got (maybe empty).
 */
function pointerLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  try {
    const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
    let count = 0;
    const record = (pointer: string, offset: number | undefined): void => {
      if (offset === undefined || count >= MAX_POINTERS || Object.hasOwn(lines, pointer)) return;
      lines[pointer] = lineCounter.linePos(offset).line;
      count += 1;
    };
    const walk = (node: unknown, pointer: string, depth: number): void => {
      if (depth > MAX_DEPTH || count >= MAX_POINTERS) return;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const child = `${pointer}/${escapePointer(String(pair.key.value))}`;
          record(child, pair.key.range?.[0]);
          walk(pair.value, child, depth + 1);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          const child = `${pointer}/${index}`;
          record(child, (item as Node | null)?.range?.[0]);
          walk(item, child, depth + 1);
        });
      }
    };
    const root = document.contents as Node | null;
    record('', root?.range?.[0]);
    walk(root, '', 0);
  } catch {
    // Line numbers are a convenience; findings fall back to line 1.
  }
  return lines;
}

/** The line of `pointer`, else of its closest ancestor that has one, else 1. */
export function lineOfPointer(facts: Pick<ServerJsonFacts, 'lines'>, pointer: string): number {
  for (let current = pointer; ; current = current.slice(0, current.lastIndexOf('/'))) {
    const line = facts.lines[current];
    if (line !== undefined) return line;
    if (current === '') return 1;
  }
}
