import { Chalk } from 'chalk';
import { maskSecrets } from '../secrets/index.js';
import { renderGithub } from '../report/github.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderReview } from '../report/review-markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderGate, renderText } from '../report/text.js';
import type { CheckReport } from '../report/types.js';

export interface RenderContext {
  /** Colours in the text report (only when it goes to a terminal). */
  color: boolean;
  /** --quiet: the text report is its gate line only. */
  quiet: boolean;
  /** --verbose: every skipped rule listed, not one summary line. */
  verbose?: boolean;
}

/** Every `check --format` by name; adding a format is one line here. */
export const REPORTERS = {
  text: (report: CheckReport, context: RenderContext) =>
    context.quiet
      ? maskSecrets(`${renderGate(report, new Chalk({ level: context.color ? 1 : 0 })).join('\n')}\n`)
      : renderText(report, { color: context.color, verbose: context.verbose === true }),
  json: renderJson,
  sarif: renderSarif,
  markdown: renderMarkdown,
  github: renderGithub,
  junit: renderJunit,
  review: renderReview,
} satisfies Record<string, (report: CheckReport, context: RenderContext) => string>;

export type CheckFormat = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as CheckFormat[];
