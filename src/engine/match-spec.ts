/**
 * The format of a declarative rule's `match` (compiled by src/engine/match.ts; documented in
 * schemas/pack.schema.json and docs/custom-packs.md). Types only, importing nothing: the rule
 * metadata (engine/types.ts) carries a Match, and an import of match.ts or the inventory model
 * from here would close an import cycle.
 */

export interface TextTest {
  regex?: string;
  flags?: string;
  glob?: string;
  /** Words of which one must occur, or the name of a string list in the rule's options. */
  tokens?: string[] | string;
  /** With `tokens`: words that, when one comes before every `tokens` word, make the test fail. */
  rivals?: string[] | string;
  contains?: string[];
  equals?: unknown;
  /** The value sorts before this string (code-unit order: ISO dates compare as dates), or before the option it names. */
  below?: string;
}

export interface SchemaTest {
  type?: string | string[];
  lacks?: string[];
  has?: string[];
  additionalProperties?: 'open' | 'closed';
  anything?: boolean;
  /** The schema is an object none of whose keywords here is a non-blank string. */
  blank?: string[];
}

export interface Condition extends TextTest {
  field?: string;
  exists?: boolean;
  schema?: SchemaTest;
  parameter?: { name?: TextTest; schema?: SchemaTest; nested?: boolean; group?: boolean };
  argument?: { name?: TextTest; schema?: SchemaTest };
  not?: Condition;
  any?: Condition[];
  all?: Condition[];
  /** Keeps what the condition matched under this placeholder, for every finding of the pattern. */
  as?: string;
}

export interface MatchSpec {
  /** Capability kinds (inventory/model.ts, CapabilityKind; spelt out here so this module imports nothing). */
  kinds?: Array<'tool' | 'resource' | 'resourceTemplate' | 'prompt' | 'server'>;
  all: Condition[];
  message?: string;
  /** Template of the finding's field (default: the hit's field). */
  field?: string;
  /** Template of the finding's evidence (default: what the hit matched). */
  evidence?: string;
  /** Extra finding data, each value a template. */
  data?: Record<string, string>;
}

/** One pattern, or a list of them (one per message). */
export type Match = MatchSpec | MatchSpec[];
