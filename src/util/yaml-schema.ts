import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative as relativePath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter, Node } from 'yaml';
import { closest } from '../engine/levenshtein.js';
import { yaml } from './lazy-yaml.js';

/**
 * YAML files checked against the JSON Schemas shipped in `schemas/` (packs and the config): ajv
 * validates the data, `yaml` node ranges give each problem its line, and an unknown key gets the
 * closest valid name. One format for every "file:line:column: what was expected" message.
 */

// ajv and ajv-formats are CommonJS with `module.exports = default`; require gives the class directly.
const require = createRequire(import.meta.url);
type AjvClass = typeof import('ajv').default;

/** `schemas/` beside `src/` and `dist/`: this module sits at `<root>/{src,dist}/util/yaml-schema.{ts,js}`. */
export function schemasDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas');
}

export interface YamlProblem {
  line?: number;
  column?: number;
  /** JSON-pointer-like path segments of the value the problem is about. */
  path: Array<string | number>;
  message: string;
  unknownKey?: boolean;
}

export interface ParsedYaml {
  data: unknown;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/** Parses YAML keeping node ranges; a syntax error comes back as a problem with its line. */
export function parseYaml(text: string): ParsedYaml | { problem: YamlProblem } {
  const { isMap, isSeq, LineCounter, parseDocument, visit } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = document.errors[0];
  if (error !== undefined) {
    const position = lineCounter.linePos(error.pos[0]);
    const message = error.message.split('\n')[0] ?? error.message;
    return { problem: { line: position.line, column: position.col, path: [], message: `is not valid YAML: ${message}` } };
  }
  // toJS throws on an alias to no anchor (and on an alias bomb), and only warns on process stderr
  // about a list or mapping used as a key: each becomes a problem with its line instead.
  const at = (node: { range?: [number, number, number] | null } | undefined, message: string) => {
    const position = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
    return { problem: { line: position.line, column: position.col, path: [], message } };
  };
  let invalid: { problem: YamlProblem } | undefined;
  visit(document, {
    Alias(_, alias) {
      if (alias.resolve(document) !== undefined) return undefined;
      invalid = at(alias, `is not valid YAML: the alias *${alias.source} refers to no anchor before it`);
      return visit.BREAK;
    },
    Pair(_, pair) {
      if (!isMap(pair.key) && !isSeq(pair.key)) return undefined;
      invalid = at(pair.key, 'is not valid here: a key must be a plain value, not a list or a mapping');
      return visit.BREAK;
    },
  });
  if (invalid !== undefined) return invalid;
  try {
    return { data: document.toJS({ maxAliasCount: 100 }), document, lineCounter };
  } catch (error) {
    return at(undefined, `is not valid YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
}

const validators = new Map<string, ValidateFunction>();

// Required on first use: `rules` and `--help` without a config never validate anything.
function newAjv(): InstanceType<AjvClass> {
  const Ajv = require('ajv') as AjvClass;
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // Our annotation: the human wording of what a value must be, used in error messages.
  ajv.addKeyword('x-expected');
  return ajv;
}

/** The compiled validator for `schemas/<name>.schema.json`. */
export function schemaValidator(name: string): ValidateFunction {
  const cached = validators.get(name);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(resolve(schemasDir(), `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
  const validate = newAjv().compile(schema);
  validators.set(name, validate);
  return validate;
}

let schemaCompiler: InstanceType<AjvClass> | undefined;

/** Compiles a schema that came from a file (a rule's optionsSchema); an invalid schema throws. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  schemaCompiler ??= newAjv();
  return schemaCompiler.compile(schema);
}

/** Problems of `data` against `validate`, positioned as if the data sat at `at` in `parsed`. */
export function validateAt(validate: ValidateFunction, data: unknown, parsed: ParsedYaml, at: ReadonlyArray<string | number>): YamlProblem[] {
  if (validate(data)) return [];
  const prefix = at.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  return schemaProblems(
    (validate.errors ?? []).map((error) => ({ ...error, instancePath: prefix + error.instancePath })),
    parsed,
  );
}

export function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** Where a value (or, with `key`, the key of a mapping entry under it) sits in the document. */
export function positionOf(parsed: ParsedYaml, path: ReadonlyArray<string | number>, key?: string): { line: number; column: number } | undefined {
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = parsed.document.contents;
  for (const segment of path) {
    if (isMap(node)) {
      node = node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment))?.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      node = undefined;
    }
    if (node === undefined || node === null) break;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (pair && isScalar(pair.key)) node = pair.key;
  }
  const range = (node as Node | undefined)?.range;
  if (!range) {
    // Fall back to the closest ancestor that exists.
    return path.length > 0 ? positionOf(parsed, path.slice(0, -1)) : undefined;
  }
  const position = parsed.lineCounter.linePos(range[0]);
  return { line: position.line, column: position.col };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** `targets[1].stdio`, `rules["design/x"]`, or `(top level)`. */
export function describePath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function expected(error: ErrorObject): string | undefined {
  const parent = error.parentSchema;
  const text: unknown = parent?.['x-expected'];
  return typeof text === 'string' ? text : undefined;
}

function propertyNames(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

/** Turns ajv errors into one problem per mistake, most specific first, with positions. */
export function schemaProblems(errors: readonly ErrorObject[], parsed: ParsedYaml): YamlProblem[] {
  // An anyOf that failed reports every branch; keep the anyOf itself, worded by its x-expected.
  const anyOfs = errors.filter((error) => error.keyword === 'anyOf');
  const kept = errors.filter(
    (error) =>
      error.keyword === 'anyOf' ||
      !anyOfs.some(
        (anyOf) => error.instancePath.startsWith(anyOf.instancePath) && error.schemaPath.startsWith(anyOf.schemaPath.replace(/\/anyOf$/, '/anyOf/')),
      ),
  );
  // propertyNames reports the inner pattern error too; keep the propertyNames one.
  const withoutInner = kept.filter((error) => !(error.keyword === 'pattern' && error.propertyName !== undefined));
  const problems: YamlProblem[] = [];
  const seen = new Set<string>();
  for (const error of withoutInner) {
    const problem = toProblem(error, parsed);
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ ...problem, ...(error.keyword === 'additionalProperties' ? { unknownKey: true } : {}) });
  }
  // An unknown key first: a misspelt key also makes the real one "missing", and the spelling is the cause.
  return problems
    .sort((a, b) => Number(!a.unknownKey) - Number(!b.unknownKey) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    .map(({ unknownKey: _unknownKey, ...problem }) => problem);
}

function toProblem(error: ErrorObject, parsed: ParsedYaml): YamlProblem {
  const path = pointerSegments(error.instancePath);
  const name = describePath(path);
  const subject = name === '' ? 'the file' : `"${name}"`;
  const at = (key?: string) => positionOf(parsed, path, key);
  const make = (message: string, position = at(), problemPath = path): YamlProblem => ({ ...position, path: problemPath, message });
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = propertyNames(error.parentSchema);
      const suggestion = closest(unknown, known);
      const where = name === '' ? '' : ` in "${name}"`;
      const hint = suggestion ? `; did you mean "${suggestion}"?` : known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
      return make(`unknown key "${unknown}"${where}${hint}`, at(unknown), [...path, unknown]);
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return make(`missing field "${missing}"${name === '' ? '' : ` in "${name}"`}`);
    }
    case 'propertyNames': {
      const key = String((error.params as { propertyName: string }).propertyName);
      const inner = (error.schema as Record<string, unknown> | undefined)?.['x-expected'];
      return make(`key "${key}" in ${subject} must be ${typeof inner === 'string' ? inner : 'a valid name'}`, at(key), [...path, key]);
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return make(`${subject} must be one of ${allowed.map((value) => String(value)).join(', ')} (got ${show(error.data)})`);
    }
    case 'dependencies': {
      const { property, missingProperty } = error.params as { property: string; missingProperty: string };
      return make(`missing field "${missingProperty}"${name === '' ? '' : ` in "${name}"`} (needed with "${property}")`);
    }
    case 'const':
      return make(`${subject} must be ${show((error.params as { allowedValue: unknown }).allowedValue)} (got ${show(error.data)})`);
    default: {
      const wording = expected(error);
      // ajv's own wording already reads "must be integer", "must be >= 1".
      return make(`${subject} ${wording !== undefined ? `must be ${wording}` : (error.message ?? 'must be valid')} (got ${show(error.data)})`);
    }
  }
}

/** Validates parsed YAML against `schemas/<name>.schema.json`. */
export function validateYaml(name: string, parsed: ParsedYaml): YamlProblem[] {
  const validate = schemaValidator(name);
  if (validate(parsed.data)) return [];
  return schemaProblems(validate.errors ?? [], parsed);
}

/** `file:line:column: message`. */
export function formatProblem(file: string, problem: Pick<YamlProblem, 'line' | 'column' | 'message'>): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  return `${where}: ${problem.message}`;
}

/** A file as the user would name it: relative to the current directory when inside it. */
export function displayPath(file: string): string {
  const relative = relativePath(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !isAbsolute(relative) ? relative : file;
}
