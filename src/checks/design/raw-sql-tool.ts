import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { isFreeFormString, parametersOf, type Parameter } from '../parameters.js';
import { listingEvidence, namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/raw-sql-tool, on whichever evidence was collected. Source: a handler passes a non-literal
 * SQL text to the database without bind parameters. Listing: a tool that passes model-written SQL to a database. A free-form
 * string parameter named `sql`/`statement` is enough; a parameter named `query` only counts when
 * the tool's name, title or description says SQL (`query` is what every search tool calls its
 * search terms). Words, not substrings, so `sqlite_version` parameters or "PostgreSQL-compatible"
 * prose alone never report.
 */

// SQL statements named in capitals ("Execute SELECT queries", "INSERT, UPDATE, or DELETE SQL query"):
// case-sensitive, so "select a file" or "update the issue" says nothing.
const SQL_STATEMENT = /\b(?:SELECT|INSERT|UPDATE|DELETE|CREATE\s+(?:TABLE|VIEW|INDEX)|ALTER\s+TABLE|DROP\s+TABLE)\b/gu;

/**
 * What says SQL in the tool's name, titles and description and the query parameter's description:
 * `sqlWords` among the split words (`PostgreSQL` → postgre, sql) and the words lower-cased whole
 * (`SQLite` → sqlite), and SQL statements named in capitals.
 */
function sqlSaid(tool: ToolCapability, parameterDescription: string, sqlWords: ReadonlySet<string>): string[] {
  const texts = [tool.name, tool.title ?? '', tool.annotations?.title ?? '', tool.description ?? '', parameterDescription];
  const words = new Set(texts.flatMap((text) => [...splitWords(text), ...(text.toLowerCase().match(/[a-z0-9]+/gu) ?? [])]));
  const statements = new Set(texts.flatMap((text) => [...text.matchAll(SQL_STATEMENT)].map((match) => match[0].replace(/\s+/gu, ' '))));
  return [...[...words].filter((word) => sqlWords.has(word)), ...statements];
}

export const rawSqlTool = defineCheck('design/raw-sql-tool', (context) => {
  judgeListing(context);
  judgeSource(context);
});

function judgeSource({ inventory, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const site = registration.handler?.reaches.find(
      (reached) => reached.kind === 'sql-call' && reached.detail.dynamic === true && reached.detail.parameterised !== true,
    );
    if (site === undefined) continue;
    report({
      messageId: 'rawSql',
      data: { name: registration.name, what: site.what, file: relativeFile(facts, site.location.file), line: site.location.line },
      capability: { kind: registration.kind, name: registration.name },
      evidence: site.what,
      evidenceKind: 'source',
      location: site.location,
    });
  }
}

function judgeListing({ inventory, rule, report }: CheckContext): void {
  const evidenceKind = listingEvidence(inventory);
  const sqlParameters = new Set(stringListOption(rule, 'sqlParameters').map(snakeName));
  const queryParameters = new Set(stringListOption(rule, 'queryParameters').map(snakeName));
  const sqlWords = new Set(stringListOption(rule, 'sqlWords').map((word) => word.toLowerCase()));
  const searchWords = new Set(stringListOption(rule, 'searchWords').map((word) => word.toLowerCase()));
  // Tools whose `query` says nothing about SQL: judged after the others, by the company they keep.
  const unsaid: Array<{ tool: ToolCapability; query: Parameter }> = [];
  let sqlTool: string | undefined;
  for (const tool of inventory.tools) {
    const parameters = parametersOf(tool.inputSchema).filter((parameter) => isFreeFormString(parameter.schema));
    const direct = parameters.find((parameter) => sqlParameters.has(snakeName(parameter.name)));
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    if (direct !== undefined) {
      sqlTool ??= tool.name;
      report({
        messageId: 'sqlParameter',
        data: { tool: tool.name, parameter: direct.name },
        capability: capabilityRef(tool),
        field: direct.field,
        evidence: direct.name,
        evidenceKind,
        ...location,
      });
      continue;
    }
    const query = parameters.find((parameter) => queryParameters.has(snakeName(parameter.name)));
    if (query === undefined) continue;
    const description = isRecord(query.schema) && typeof query.schema.description === 'string' ? query.schema.description : '';
    const said = sqlSaid(tool, description, sqlWords);
    if (said.length === 0) {
      unsaid.push({ tool, query });
      continue;
    }
    sqlTool ??= tool.name;
    report({
      messageId: 'sqlQueryParameter',
      data: { tool: tool.name, parameter: query.name, words: said.slice(0, 4).join(', ') },
      capability: capabilityRef(tool),
      field: query.field,
      evidence: `${query.name}; tool text mentions ${said.slice(0, 4).join(', ')}`,
      evidenceKind,
      ...location,
    });
  }
  // On a server whose other tools take SQL, a bare `query` (`create_table(query)`,
  // `export_query(query)`, an undescribed `execute_query(query)`) is SQL too; a search tool's is not.
  if (sqlTool === undefined) return;
  for (const { tool, query } of unsaid) {
    if (splitWords(tool.name).some((word) => searchWords.has(word))) continue;
    report({
      messageId: 'sqlQuerySibling',
      data: { tool: tool.name, parameter: query.name, sibling: sqlTool },
      capability: capabilityRef(tool),
      field: query.field,
      evidence: `${query.name}; the server's tool ${sqlTool} takes SQL`,
      evidenceKind,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
}
