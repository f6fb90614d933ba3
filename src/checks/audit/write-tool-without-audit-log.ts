import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { assessRisk } from '../../inventory/risk.js';
import { sourceFacts } from '../source-facts.js';
import { registrationsOf } from '../../inventory/registrations.js';

const AUDITED_CLASSES = new Set(['exec', 'destructive', 'write']);

/**
 * audit/write-tool-without-audit-log: an exec, destructive or write tool (risk class from
 * `assessRisk`) whose handler, following calls up to the analysis depth (2 hops by default), emits no
 * log or audit event: no pino/winston/bunyan/`logger` call, no `server.sendLoggingMessage`, no
 * `ctx.log`/fastmcp `log`, no `audit*` or call-record function (`trackToolCall`). The code that runs
 * around the handler on every call (the common path of a low-level dispatcher, the wrapper a
 * registering loop puts definitions in) counts as the handler's. `console.*` alone is unstructured
 * and reported as such.
 */
export const writeToolWithoutAuditLog = defineCheck('audit/write-tool-without-audit-log', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const unjudged: string[] = [];
  for (const tool of inventory.tools) {
    const risk = assessRisk(tool, inventory);
    if (!AUDITED_CLASSES.has(risk.class)) continue;
    const withHandler = registrationsOf(facts, tool).filter((registration) => registration.handler !== undefined);
    if (withHandler.length === 0) {
      unjudged.push(tool.name);
      continue;
    }
    // What runs around the handler on every call counts: a dispatcher or registering wrapper that logs each call logs this one.
    const logs = withHandler.flatMap((registration) =>
      [...registration.handler!.reaches, ...(registration.handler!.around?.reaches ?? [])].filter(
        (site) => site.kind === 'log-call' || site.kind === 'audit-event',
      ),
    );
    if (logs.some((site) => site.kind === 'audit-event' || !site.what.startsWith('console.'))) continue;
    const consoleOnly = logs.length > 0;
    report({
      messageId: consoleOnly ? 'consoleOnly' : 'noAuditLog',
      data: { name: tool.name, risk: risk.class, reasons: risk.reasons.join('; '), depth: facts.callDepth, ...(consoleOnly ? { what: logs[0]!.what } : {}) },
      capability: capabilityRef(tool),
      evidence: risk.class,
      location: withHandler[0]!.location,
    });
  }
  // Every state-changing tool's handler was out of reach (dynamic names, wrapped handlers): say so.
  if (unjudged.length > 0 && unjudged.length === inventory.tools.filter((tool) => AUDITED_CLASSES.has(assessRisk(tool, inventory).class)).length) {
    skip?.(`the handlers of the state-changing tools (${unjudged.slice(0, 5).join(', ')}${unjudged.length > 5 ? ', …' : ''}) were not found in source`);
  }
});
