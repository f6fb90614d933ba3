import { defineCheck } from '../../engine/define-check.js';
import { packRegExp } from '../../util/ascii-twin.js';
import { capabilityRef } from '../../inventory/model.js';
import { listingKindsOf, matchListingKind } from '../listing-kinds.js';

/**
 * injection/untrusted-content-returned (live): a tool whose listing says it returns text written by
 * third parties into the model's context: pages of any website, web search results, issues, pull
 * and merge requests and their comments, public posts (warning: anyone on the internet, or anyone
 * who can open an issue, writes them), and messages, comments or records written by the members of
 * a workspace (note). Such text can carry instructions (indirect prompt injection) and the listing
 * does not say it is untrusted. A tool whose description marks its output as untrusted
 * (`untrustedPhrases`), or that declares `openWorldHint: false` (a closed domain), passes. Judged on the name words, title and description against
 * `kinds` (src/checks/listing-kinds.ts); the first kind that matches is reported, at its level.
 * Prompts are read the same way (one that embeds a task's comments or a diff), and note-level kinds
 * cover third-party text of lesser reach, instructions the model is told to follow and stored memory.
 */
export const untrustedContentReturned = defineCheck('injection/untrusted-content-returned', ({ inventory, rule, options, report }) => {
  const kinds = listingKindsOf(rule);
  const marked = options.untrustedPhrases.map((pattern) => packRegExp(pattern));
  // Prompts too, on the note kinds only: a prompt that embeds a task's comments or a merge request's diff puts them in
  // the context the same way, but one that talks about web search ("web_search_help") returns no page.
  const promptKinds = kinds.filter((kind) => kind.level === 'note');
  for (const tool of [...inventory.tools, ...inventory.prompts]) {
    if (marked.some((regex) => regex.test(tool.description ?? ''))) continue;
    // `openWorldHint: false`: the server says the tool stays in a closed domain it controls, not text from the open world.
    if (tool.kind === 'tool' && tool.annotations?.openWorldHint === false) continue;
    const matched = matchListingKind(tool.kind === 'prompt' ? promptKinds : kinds, tool);
    if (matched === undefined) continue;
    report({
      messageId: 'untrustedContent',
      data: { kind: tool.kind === 'tool' ? 'Tool' : 'Prompt', name: tool.name, what: matched.kind.what, excerpt: matched.excerpt },
      capability: capabilityRef(tool),
      field: 'description',
      evidence: `${matched.kind.id}: ${matched.excerpt}`,
      level: matched.kind.level,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});
