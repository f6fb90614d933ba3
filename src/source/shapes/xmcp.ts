import path from 'node:path';
import type { AnalysisContext, Node, SourceFile } from '../context.js';
import { handlerFacts } from '../handlers.js';
import type { SourceRegistration } from '../types.js';
import type { ZodOptions } from '../zod.js';
import { base } from './registration.js';
import type { ExtractOptions, Kind, Shape } from './shape.js';
import { annotationsOf, schemaOf, text } from './values.js';

/** xmcp: one file per capability under `src/tools`, `src/prompts` or `src/resources`, when the project uses xmcp. */
export const xmcp: Shape = {
  name: 'xmcp',
  detect: ({ options }) => options.xmcp,
  extract({ context, file, zodOptions, options }, found) {
    return {
      finish() {
        const registration = xmcpFile(context, file, zodOptions, options);
        if (registration !== undefined) found.push(registration);
      },
    };
  },
};

/** xmcp: `src/tools/<name>.ts` exports `metadata`, `schema` and a default handler. */
function xmcpFile(context: AnalysisContext, file: SourceFile, zodOptions: ZodOptions, options: ExtractOptions): SourceRegistration | undefined {
  const relative = path.relative(options.root, file.fileName).split(path.sep).join('/');
  const match = /^(?:src\/)?(tools|prompts|resources)\/(.+)\.(?:m|c)?[jt]sx?$/.exec(relative);
  if (match === null) return undefined;
  const folder = match[1]!;
  const rest = match[2]!;
  const handler = context.exportOf(file, 'default', 0);
  if (handler === undefined) return undefined;
  const metadata = context.exportOf(file, 'metadata', 0);
  const kind: Kind = folder === 'tools' ? 'tool' : folder === 'prompts' ? 'prompt' : 'resource';
  const nameNode = context.property(metadata, 'name');
  const anchor = defaultExportAnchor(context, file) ?? handler;
  const registration: SourceRegistration =
    nameNode !== undefined
      ? base(context, kind, 'xmcp', `${folder}/${rest}`, nameNode, anchor)
      : { kind, name: path.posix.basename(rest), shape: 'xmcp', api: `${folder}/${rest}`, location: context.location(anchor), options: {}, conditional: false };
  const description = text(context, context.property(metadata, 'description'));
  if (description) registration.description = description;
  if (kind === 'tool') {
    const schema = context.exportOf(file, 'schema', 0);
    if (schema !== undefined) Object.assign(registration, schemaOf(context, schema, zodOptions));
    else registration.inputSchema = { type: 'object', properties: {} };
    const annotations = annotationsOf(context, context.property(metadata, 'annotations'));
    if (annotations) registration.annotations = annotations;
  } else if (kind === 'resource') {
    // src/resources/(config)/app/[id].ts → config://app/{id}
    const segments = rest.split('/');
    const scheme = /^\((.+)\)$/.exec(segments[0] ?? '')?.[1];
    const pathPart = (scheme ? segments.slice(1) : segments).map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}')).join('/');
    const uri = `${scheme ?? 'resource'}://${pathPart}`;
    if (/\{/.test(uri)) {
      registration.kind = 'resourceTemplate';
      registration.uriTemplate = uri;
    } else {
      registration.uri = uri;
    }
    if (nameNode === undefined) registration.name = pathPart.replace(/[{}]/g, '');
  }
  if (context.isFunction(handler)) registration.handler = handlerFacts(context, handler, options.callDepth);
  return registration;
}

function defaultExportAnchor(context: AnalysisContext, file: SourceFile): Node | undefined {
  const ts = context.ts;
  for (const statement of file.statements) {
    if (ts.isExportAssignment(statement)) return statement;
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    )
      return statement;
  }
  return undefined;
}
