import type { AnalysisContext, Node } from '../context.js';

/**
 * Cloudflare `McpAgent`: ordinary `this.server.tool(...)` calls, read by sdk-high-level.ts and
 * labelled `cloudflare-agent` when they sit in a class that extends `McpAgent`.
 */
export function insideMcpAgent(context: AnalysisContext, node: Node): boolean {
  return insideClassExtending(context, node, 'McpAgent');
}

function insideClassExtending(context: AnalysisContext, node: Node, baseName: string): boolean {
  const ts = context.ts;
  for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isClassLike(current)) {
      const heritage = current.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      return heritage !== undefined && context.dottedName(heritage.expression) === baseName;
    }
  }
  return false;
}
