import { shellLikeTool } from '../checks/design/shell-like-tool.js';
import { hiddenCharacters } from '../checks/injection/hidden-characters.js';
import { instructionInDescription } from '../checks/injection/instruction-in-description.js';
import { missingInputSchema } from '../checks/schema/missing-input-schema.js';
import { openInputSchema } from '../checks/schema/open-input-schema.js';
import { secretInModelVisibleText } from '../checks/secrets/secret-in-model-visible-text.js';
import { unknownCheckMessage } from './format.js';
import { closest } from './levenshtein.js';
import type { CheckFunction } from './types.js';

/** Check name (a pack's `check:` field) → implementation. Explicit and sorted; keep it that way. */
export const CHECKS: Readonly<Record<string, CheckFunction>> = Object.freeze({
  'design/shell-like-tool': shellLikeTool,
  'injection/hidden-characters': hiddenCharacters,
  'injection/instruction-in-description': instructionInDescription,
  'schema/missing-input-schema': missingInputSchema,
  'schema/open-input-schema': openInputSchema,
  'secrets/secret-in-model-visible-text': secretInModelVisibleText,
});

export function checkNames(): string[] {
  return Object.keys(CHECKS).sort();
}

/** The check a rule names; an unknown name throws, naming the rule and the closest known check. */
export function getCheck(name: string, ruleId: string = name): CheckFunction {
  const check = Object.hasOwn(CHECKS, name) ? CHECKS[name] : undefined;
  if (check === undefined) throw new Error(unknownCheckMessage(name, ruleId, closest(name, checkNames())));
  return check;
}
