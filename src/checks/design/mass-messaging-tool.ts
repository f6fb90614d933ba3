import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { isFreeFormString, parametersOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/mass-messaging-tool (live): a tool that reaches people without a bound on who. Two
 * shapes: a broadcast (`broadcast_text_message`: one call messages every follower), and an email
 * sender whose recipients are free-form addresses (`send_email(to, cc, bcc)`: any address the
 * model, or text injected into its context, writes). A message to one user id of the account's own
 * audience (`push_text_message(userId)`) or to a channel is neither; a recipient restricted by an
 * enum or a pattern (one domain) passes.
 */
export const massMessagingTool = defineCheck('design/mass-messaging-tool', ({ inventory, options, report }) => {
  const broadcastWords = new Set(options.broadcastWords.map((word) => word.toLowerCase()));
  const readVerbs = new Set(options.readVerbs.map((word) => word.toLowerCase()));
  const sendVerbs = new Set(options.sendVerbs.map((word) => word.toLowerCase()));
  const mailNouns = new Set(options.mailNouns.map((word) => word.toLowerCase()));
  const recipients = new Set(options.recipientParameters.map(snakeName));
  for (const tool of inventory.tools) {
    const words = splitWords(tool.name);
    if (words.some((word) => readVerbs.has(word))) continue;
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const broadcast = words.find((word) => broadcastWords.has(word));
    if (broadcast !== undefined) {
      report({
        messageId: 'broadcast',
        data: { tool: tool.name, word: broadcast },
        capability: capabilityRef(tool),
        field: 'name',
        evidence: tool.name,
        ...location,
      });
      continue;
    }
    if (!words.some((word) => sendVerbs.has(word)) || !words.some((word) => mailNouns.has(word))) continue;
    const open = parametersOf(tool.inputSchema).filter((parameter) => recipients.has(snakeName(parameter.name)) && isFreeFormString(parameter.schema));
    if (open.length === 0) continue;
    const names = open.map((parameter) => parameter.name).join(', ');
    report({
      messageId: 'anyRecipient',
      data: { tool: tool.name, parameters: names },
      capability: capabilityRef(tool),
      field: open[0]?.field ?? 'inputSchema',
      evidence: names,
      ...location,
    });
  }
});
