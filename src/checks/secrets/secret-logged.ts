import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { inIgnoredCode, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';
import { splitWords } from '../words.js';

/**
 * secrets/secret-logged: a logging call that reads something secret-shaped: `process.env` as a
 * whole, a part of the request that carries credentials or a whole body (`requestProperties` after
 * `req.`/`request.`/`c.req.`/`ctx.req.`), or a name that holds a secret (`secretNames`,
 * case-insensitive parts of a name: `token`, `apiKey`...). A name about a secret, not the secret,
 * does not count: a property among `ignoredProperties` (`token.length`), or a name whose last word
 * is one of `notSecretWords` (`tokenCount`, `tokens_used`, `passwordMinLength`). Nor does a value
 * only tested or measured: a read inside one of `derivedForms` (`Boolean(apiKey)`, `typeof token`,
 * `!!secret`) or under one of `ignoredProperties` (`token.length`). The collector lists
 * what the call's arguments read (src/source/sites.ts); the first read that qualifies is the evidence.
 * Code among `ignoredCode` (a file the server never loads, a dependency a bundler inlined: a YAML
 * lexer's `token`) is not judged.
 */
const REQUEST = /^(req|request|c\.req|ctx\.req)/;

interface Vocabulary {
  names: string[];
  /** `Boolean()`, `typeof`, `!`, `.length`: a read inside one of these is not logged. */
  derived: ReadonlySet<string>;
  ignored: ReadonlySet<string>;
  notSecret: ReadonlySet<string>;
  requestProperties: string[];
}

function vocabulary(rule: RuleMeta): Vocabulary {
  return {
    names: stringListOption(rule, 'secretNames').map((name) => name.toLowerCase()),
    ignored: new Set(stringListOption(rule, 'ignoredProperties')),
    derived: new Set([...stringListOption(rule, 'derivedForms'), ...stringListOption(rule, 'ignoredProperties').map((name) => `.${name}`)]),
    notSecret: new Set(stringListOption(rule, 'notSecretWords').map((word) => word.toLowerCase())),
    requestProperties: stringListOption(rule, 'requestProperties').map((property) => `.${property.toLowerCase()}`),
  };
}

function secretName(name: string, words: Vocabulary): boolean {
  if (!words.names.some((word) => name.toLowerCase().includes(word))) return false;
  return !words.notSecret.has(splitWords(name).at(-1) ?? '');
}

function secretRead(reads: string, words: Vocabulary): string | undefined {
  for (const read of reads.split('\n')) {
    let parts = read.split(' ');
    // `via Boolean() identifier token`: what is logged is derived from the read, by each form in turn.
    const forms: string[] = [];
    while (parts[0] === 'via' && parts.length > 2) {
      forms.push(parts[1]!);
      parts = parts.slice(2);
    }
    if (forms.some((form) => words.derived.has(form))) continue;
    const [kind, first = '', second = ''] = parts;
    if (kind === 'env') return 'process.env';
    if (kind === 'property' && REQUEST.test(first) && words.requestProperties.some((property) => first.toLowerCase().endsWith(property))) return first;
    if (kind === 'property' && secretName(second, words) && !words.ignored.has(second)) return first;
    if (kind === 'identifier' && secretName(first, words)) return first;
  }
  return undefined;
}

export const secretLogged = defineCheck('secrets/secret-logged', ({ inventory, rule, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const words = vocabulary(rule);
  const ignored = stringListOption(rule, 'ignoredCode');
  for (const site of sitesOf(facts, 'log-call')) {
    if (inIgnoredCode(facts, site, ignored)) continue;
    const secret = secretRead(String(site.detail.reads ?? ''), words);
    if (secret !== undefined) report(siteFinding(facts, site, 'logged', { secret }));
  }
});
