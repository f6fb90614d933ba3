import { defineCheck, type MessageIdOf } from '../../engine/define-check.js';
import { truncateSafely } from '../../secrets/truncate.js';
import AjvDraft07 from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import type { Ajv as AjvCore } from 'ajv';
import type { FindingInput as AnyFindingInput } from '../../engine/types.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { describeJsonType, excerpt, isRecord, schemaTypes } from '../json-schema.js';
import { validate as validateMeta202012 } from '../../engine/generated/meta-2020-12.js';

type FindingInput = AnyFindingInput<MessageIdOf<'schema/invalid-json-schema'>>;

/**
 * schema/invalid-json-schema: every tool input and output schema is compiled with ajv in its
 * declared dialect (`$schema`), or the default one: JSON Schema 2020-12 from revision 2025-11-25
 * ("Schemas MUST be valid according to their declared or default dialect"); before that revision no
 * default was specified, so a schema without `$schema` passes when draft-07 or 2020-12 accepts it.
 * Unknown keywords are allowed (JSON Schema ignores them); only meta-schema violations and local
 * `$ref`s that resolve nowhere are reported. Before 2026-07-28 an output schema's root must also be
 * `type: "object"` (schema.ts), or SDK clients reject the tool list.
 * An input schema that is absent or not an object is schema/missing-input-schema's finding.
 */

// ajv is imported, not required, so the bundle (scripts/bundle.mjs) carries it: resolving and
// compiling its 83 CommonJS files one by one cost ~55 ms of every check, bundled ~25 ms (issue 18).
// Each dialect's instance is still created when a schema first needs it. ajv is CommonJS: the
// default import is its module.exports, whose `default` is the class.

type Dialect = 'draft-06' | 'draft-07' | '2019-09' | '2020-12';
const DEFAULT_DIALECT_SINCE = '2025-11-25';
const OUTPUT_ANY_TYPE_SINCE = '2026-07-28';

const DIALECTS: ReadonlyArray<{ dialect: Dialect; test: RegExp }> = [
  { dialect: '2020-12', test: /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/ },
  { dialect: '2019-09', test: /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/ },
  { dialect: 'draft-07', test: /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/ },
  { dialect: 'draft-06', test: /^https?:\/\/json-schema\.org\/draft-06\/schema#?$/ },
];

const AJV_OPTIONS = { strict: false, allErrors: false, validateFormats: false, addUsedSchema: false, logger: false, allowUnionTypes: true } as const;

/**
 * The 2020-12 meta-schema, compiled at build time by ajv with AJV_OPTIONS (scripts/meta-validator.mjs):
 * what `ajv.validateSchema` runs for a schema without `$schema` or with exactly this one, without
 * compiling the meta-schema on every start-up (~60 ms, issue 18). Other `$schema` spellings keep
 * ajv's own lookup.
 */
const META_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
type MetaValidator = ((schema: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
const precompiledMeta = validateMeta202012 as MetaValidator;

class Compilers {
  private readonly instances = new Map<Dialect, AjvCore>();
  /** Servers repeat schemas (every no-parameter tool has the same one): compile each text once. */
  private readonly verdicts = new Map<string, string | undefined>();

  get(dialect: Dialect): AjvCore {
    let ajv = this.instances.get(dialect);
    if (ajv === undefined) {
      // The meta-schema check is judge's, just before: compile() need not repeat it (nor compile the meta-schema).
      if (dialect === '2020-12') ajv = new Ajv2020.default({ ...AJV_OPTIONS, validateSchema: false });
      else if (dialect === '2019-09') ajv = new Ajv2019.default(AJV_OPTIONS);
      else {
        ajv = new AjvDraft07.default(AJV_OPTIONS);
        if (dialect === 'draft-06') ajv.addMetaSchema(draft06MetaSchema);
      }
      this.instances.set(dialect, ajv);
    }
    return ajv;
  }

  /** Why the schema does not compile in `dialect`, or undefined when it does. */
  problem(schema: Record<string, unknown>, dialect: Dialect): string | undefined {
    const key = `${dialect}\u0000${JSON.stringify(schema)}`;
    if (this.verdicts.has(key)) return this.verdicts.get(key);
    const verdict = this.judge(schema, dialect);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private judge(schema: Record<string, unknown>, dialect: Dialect): string | undefined {
    const ajv = this.get(dialect);
    // The dialect was chosen from `$schema` already; draft-06 schemas are checked against their meta.
    const precompiled = dialect === '2020-12' && (schema.$schema === undefined || schema.$schema === META_2020_12);
    const valid = precompiled ? precompiledMeta(schema) : ajv.validateSchema(schema);
    if (valid !== true) {
      // The first error is the specific one; the rest are anyOf/oneOf echoes of it.
      const first = (precompiled ? precompiledMeta.errors : ajv.errors)?.[0];
      return first === undefined
        ? 'does not match its meta-schema'
        : `${first.instancePath === '' ? '(root)' : first.instancePath} ${first.message ?? 'is invalid'}`;
    }
    try {
      ajv.compile(schema);
      return undefined;
    } catch (error) {
      const missingRef = (error as { missingRef?: unknown }).missingRef;
      // A remote `$ref` cannot be checked offline; only references into the schema itself are judged.
      if (typeof missingRef === 'string' && !missingRef.startsWith('#') && /^[a-z][a-z0-9+.-]*:/i.test(missingRef)) return undefined;
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function declaredDialect(schema: Record<string, unknown>): Dialect | 'absent' | 'unknown' {
  const uri = schema.$schema;
  if (uri === undefined) return 'absent';
  if (typeof uri !== 'string') return 'unknown';
  return DIALECTS.find(({ test }) => test.test(uri.trim()))?.dialect ?? 'unknown';
}

type Report = (input: Omit<FindingInput, 'capability'>) => void;

function judge(
  schema: unknown,
  field: 'inputSchema' | 'outputSchema',
  tool: ToolCapability,
  revision: string | undefined,
  compilers: Compilers,
  report: Report,
): void {
  if (!isRecord(schema)) {
    if (field === 'outputSchema') {
      report({ messageId: 'outputNotObject', data: { tool: tool.name, actual: describeJsonType(schema) }, field, evidence: excerpt(schema, 120) });
    }
    return;
  }
  const dialect = declaredDialect(schema);
  if (dialect === 'unknown') {
    report({
      messageId: 'unknownDialect',
      data: { tool: tool.name, which: field, uri: excerpt(schema.$schema, 100) },
      field: `${field}.$schema`,
      evidence: excerpt(schema.$schema, 100),
    });
    return;
  }
  let problem: string | undefined;
  let checkedAs: Dialect;
  if (dialect !== 'absent') {
    checkedAs = dialect;
    problem = compilers.problem(schema, dialect);
  } else {
    checkedAs = '2020-12';
    problem = compilers.problem(schema, '2020-12');
    const defaultKnown = revision !== undefined && revision >= DEFAULT_DIALECT_SINCE;
    if (problem !== undefined && !defaultKnown && compilers.problem(schema, 'draft-07') === undefined) problem = undefined;
  }
  if (problem !== undefined) {
    report({
      messageId: 'invalidSchema',
      data: {
        tool: tool.name,
        which: field,
        dialect: dialect === 'absent' ? `${checkedAs} (the default)` : checkedAs,
        problem: truncateSafely(problem, 300, ''),
      },
      field,
      evidence: truncateSafely(problem, 200, ''),
    });
    return;
  }
  if (field === 'outputSchema' && (revision === undefined || revision < OUTPUT_ANY_TYPE_SINCE)) {
    const types = schemaTypes(schema);
    if (types === undefined || types.length !== 1 || types[0] !== 'object') {
      report({
        messageId: 'outputRootNotObject',
        data: { tool: tool.name, actual: schema.type === undefined ? 'missing' : JSON.stringify(schema.type) },
        field: 'outputSchema.type',
        evidence: excerpt(schema, 120),
      });
    }
  }
}

export const invalidJsonSchema = defineCheck('schema/invalid-json-schema', ({ inventory, report }) => {
  const compilers = new Compilers();
  const revision = inventory.server.protocolVersion;
  for (const tool of inventory.tools) {
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const reportForTool: Report = (input) => report({ ...input, capability: capabilityRef(tool), ...location });
    if (isRecord(tool.inputSchema)) judge(tool.inputSchema, 'inputSchema', tool, revision, compilers, reportForTool);
    if (tool.outputSchema !== undefined) judge(tool.outputSchema, 'outputSchema', tool, revision, compilers, reportForTool);
  }
});
