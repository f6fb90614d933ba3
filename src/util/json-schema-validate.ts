import AjvDraft07 from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import type { Ajv as AjvCore, ValidateFunction } from 'ajv';

/**
 * Validates a value against a schema as served, in its declared dialect (`$schema`: draft-06/07,
 * 2019-09, 2020-12) or, when none is declared, 2020-12 (the default since 2025-11-25) with draft-07
 * as the fallback for older servers. Formats are not asserted (JSON Schema makes them annotations).
 * A schema that does not compile yields `compileError`, never a throw: schema/invalid-json-schema
 * judges that.
 */

// Imported, not required, so the bundle carries ajv (see schema/invalid-json-schema, which every
// check with a tool runs anyway); each dialect's instance is still created on first use.

const OPTIONS = { strict: false, allErrors: false, validateFormats: false, addUsedSchema: false, logger: false, allowUnionTypes: true } as const;

type Dialect = 'draft-07' | '2019-09' | '2020-12';
const instances = new Map<Dialect, AjvCore>();

function ajvFor(dialect: Dialect): AjvCore {
  let ajv = instances.get(dialect);
  if (ajv === undefined) {
    ajv = dialect === '2020-12' ? new Ajv2020.default(OPTIONS) : dialect === '2019-09' ? new Ajv2019.default(OPTIONS) : new AjvDraft07.default(OPTIONS);
    if (dialect === 'draft-07') ajv.addMetaSchema(draft06MetaSchema);
    instances.set(dialect, ajv);
  }
  return ajv;
}

function dialectsFor(schema: Record<string, unknown>): Dialect[] {
  const uri = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/draft\/2020-12/.test(uri)) return ['2020-12'];
  if (/draft\/2019-09/.test(uri)) return ['2019-09'];
  if (/draft-0[67]/.test(uri)) return ['draft-07'];
  return ['2020-12', 'draft-07'];
}

export type SchemaValidation = { valid: true } | { valid: false; problem: string } | { compileError: string };

function compile(schema: Record<string, unknown>): { validate: ValidateFunction } | { compileError: string } {
  let lastError = 'does not compile';
  for (const dialect of dialectsFor(schema)) {
    try {
      // `$id`s would collide between tools in one Ajv instance; they are not needed for local refs.
      const { $id: _id, ...rest } = schema;
      return { validate: ajvFor(dialect).compile(rest) };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
  }
  return { compileError: lastError };
}

export function validateAgainstSchema(schema: unknown, value: unknown): SchemaValidation {
  if (schema === true) return { valid: true };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { compileError: 'the schema is not an object' };
  const compiled = compile(schema as Record<string, unknown>);
  if ('compileError' in compiled) return compiled;
  if (compiled.validate(value)) return { valid: true };
  const first = compiled.validate.errors?.[0];
  const where = first === undefined || first.instancePath === '' ? '(root)' : first.instancePath;
  return { valid: false, problem: first === undefined ? 'does not validate' : `${where} ${first.message ?? 'is invalid'}` };
}
