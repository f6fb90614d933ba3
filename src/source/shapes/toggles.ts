import type { AnalysisContext, Node, SourceFile } from '../context.js';
import { classify } from '../sites.js';
import type { CodeSite } from '../types.js';

/** `RegisteredTool.disable()/enable()/remove()/update({ enabled })` or `.enabled =` on what a registration call returned. */
export function togglesOf(context: AnalysisContext, call: Node): CodeSite[] {
  const ts = context.ts;
  const parent = call.parent;
  // `server.registerTool(...).disable()`
  if (parent !== undefined && ts.isPropertyAccessExpression(parent) && parent.expression === call) {
    return classify(context, parent.parent).filter((found) => found.kind === 'capability-toggle');
  }
  // `const tool = server.registerTool(...)` / `this.tool = ...` / `tools[name] = ...`
  let holder: string | undefined;
  if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) holder = parent.name.text;
  else if (parent !== undefined && ts.isBinaryExpression(parent) && parent.right === call && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    holder = holderKey(context, parent.left);
  if (holder === undefined) return [];
  return fileToggles(context, call.getSourceFile())
    .filter((toggle) => toggle.holder === holder)
    .map((toggle) => toggle.site);
}

const togglesByFile = new WeakMap<SourceFile, Array<{ holder: string; site: CodeSite }>>();

/** Every toggle call in a file with the key of what it is called on (one walk per file, when first needed). */
function fileToggles(context: AnalysisContext, file: SourceFile): Array<{ holder: string; site: CodeSite }> {
  const ts = context.ts;
  let toggles = togglesByFile.get(file);
  if (toggles !== undefined) return toggles;
  toggles = [];
  const found = toggles;
  context.walk(file, (node) => {
    if (!ts.isCallExpression(node) && !ts.isPropertyAccessExpression(node)) return;
    for (const site of classify(context, node)) {
      if (site.kind !== 'capability-toggle') continue;
      const receiver =
        ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
          ? node.expression.expression
          : ts.isPropertyAccessExpression(node)
            ? node.expression
            : undefined;
      if (receiver !== undefined) found.push({ holder: holderKey(context, receiver), site });
    }
  });
  togglesByFile.set(file, toggles);
  return toggles;
}

function holderKey(context: AnalysisContext, node: Node): string {
  const ts = context.ts;
  const unwrapped = context.unwrap(node);
  if (ts.isElementAccessExpression(unwrapped) && !ts.isStringLiteral(unwrapped.argumentExpression)) return `${holderKey(context, unwrapped.expression)}[]`;
  return context.dottedName(unwrapped);
}
