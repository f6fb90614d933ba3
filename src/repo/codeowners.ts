import picomatch from 'picomatch';

/**
 * GitHub CODEOWNERS: one `pattern owner…` rule a line, the last matching rule wins, a rule with no
 * owners makes paths unowned. Patterns follow gitignore with GitHub's documented exceptions: no `!`
 * negation, no `[ ]` ranges, and `dir/*` owns the direct children of `dir` only
 * (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-syntax).
 * Matching is picomatch over each pattern's gitignore meaning.
 */

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  /** 1-based line in the file. */
  line: number;
}

export interface ParsedCodeowners {
  rules: CodeownersRule[];
  /** Lines GitHub would reject or ignore (an unsupported pattern, an owner that is not `@user`, `@org/team` or an e-mail). */
  problems: { line: number; message: string }[];
}

const OWNER = /^(?:@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const problems: ParsedCodeowners['problems'] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    // GitLab sections (`[Docs]`, `^[Docs][2] @owner`) mean nothing to GitHub.
    if (/^\^?\[[^\]]+\](?:\[\d+\])?(?:\s|$)/.test(trimmed)) return;
    const tokens = splitTokens(trimmed);
    const comment = tokens.findIndex((token, position) => position > 0 && token.startsWith('#'));
    const [pattern, ...owners] = comment === -1 ? tokens : tokens.slice(0, comment);
    if (pattern === undefined) return;
    if (pattern.startsWith('!')) {
      problems.push({ line, message: `"${pattern}": negation is not supported in CODEOWNERS; the line is ignored` });
      return;
    }
    if (/\[[^\]]*\]/.test(pattern)) {
      problems.push({ line, message: `"${pattern}": character ranges are not supported in CODEOWNERS; the line is ignored` });
      return;
    }
    const bad = owners.filter((owner) => !OWNER.test(owner));
    if (bad.length > 0) problems.push({ line, message: `"${bad.join(' ')}" is not a user, team or e-mail address; GitHub skips the line` });
    rules.push({ pattern, owners: bad.length > 0 ? [] : owners, line });
  });
  return { rules, problems };
}

/** Whitespace-separated tokens; `\ ` keeps a space in a path. */
function splitTokens(line: string): string[] {
  return line
    .split(/(?<!\\)\s+/)
    .map((token) => token.replace(/\\(.)/g, '$1'))
    .filter((token) => token.length > 0);
}

/** The globs (relative to the repository root) that a CODEOWNERS pattern stands for. */
export function patternGlobs(pattern: string): string[] {
  let body = pattern;
  const directoryOnly = body.endsWith('/');
  if (directoryOnly) body = body.replace(/\/+$/, '');
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches at any depth.
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\/+/, '');
  if (body === '' || body === '**') return ['**'];
  const base = anchored || body.startsWith('**/') ? body : `**/${body}`;
  if (directoryOnly) return [`${base}/**`];
  const lastSegment = body.slice(body.lastIndexOf('/') + 1);
  // `docs/*` owns direct children only (GitHub's documented exception); `apps` owns the directory's contents too.
  return lastSegment.includes('*') ? [base] : [base, `${base}/**`];
}

export interface CodeownersMatcher {
  /** The rule that decides `file`'s owners (the last that matches), if any. */
  ruleFor(file: string): CodeownersRule | undefined;
}

export function codeownersMatcher(rules: readonly CodeownersRule[]): CodeownersMatcher {
  const compiled = rules.map((rule) => ({ rule, test: picomatch(patternGlobs(rule.pattern), { dot: true }) }));
  return {
    ruleFor(file: string) {
      for (let index = compiled.length - 1; index >= 0; index -= 1) {
        const entry = compiled[index]!;
        if (entry.test(file)) return entry.rule;
      }
      return undefined;
    },
  };
}
