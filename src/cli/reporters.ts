import type { CheckReport } from '../report/types.js';

export interface RenderContext {
  /** Colours in the text report (only when it goes to a terminal). */
  color: boolean;
  /** --quiet: the text report is its gate line only. */
  quiet: boolean;
  /** --verbose: every skipped rule listed, not one summary line. */
  verbose?: boolean;
}

export type Reporter = (report: CheckReport, context: RenderContext) => string;

/**
 * Every `check --format` by name; adding a format is one line here. Each reporter is loaded when a
 * run writes it: the SARIF one brings node-sarif-builder and fs-extra, which a JSON run never needs
 * (start-up, issue 18).
 */
export const REPORTERS = {
  text: async (): Promise<Reporter> => {
    const [{ Chalk }, { maskSecrets }, { renderGate, renderText }] = await Promise.all([
      import('chalk'),
      import('../secrets/index.js'),
      import('../report/text.js'),
    ]);
    return (report, context) =>
      context.quiet
        ? maskSecrets(`${renderGate(report, new Chalk({ level: context.color ? 1 : 0 })).join('\n')}\n`)
        : renderText(report, { color: context.color, verbose: context.verbose === true });
  },
  json: async (): Promise<Reporter> => (await import('../report/json.js')).renderJson,
  sarif: async (): Promise<Reporter> => (await import('../report/sarif.js')).renderSarif,
  markdown: async (): Promise<Reporter> => (await import('../report/markdown.js')).renderMarkdown,
  github: async (): Promise<Reporter> => (await import('../report/github.js')).renderGithub,
  junit: async (): Promise<Reporter> => (await import('../report/junit.js')).renderJunit,
  review: async (): Promise<Reporter> => (await import('../report/review-markdown.js')).renderReview,
} satisfies Record<string, () => Promise<Reporter>>;

export type CheckFormat = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as CheckFormat[];
