import { maskDeep, maskSecrets } from '../secrets/index.js';

/**
 * What a probed server says is kept only masked and bounded. On top of the one masking function
 * (src/secrets), two things only a probe knows about are hidden:
 * - the values the user gave the server (`--env`, config `env:`/`headers:`), wherever they appear;
 * - the values of an environment dump (`KEY=value` or `"KEY": "value"` lines, several of them), which
 *   are mostly not secret-shaped (`PATH`, `HOME`, internal hostnames) but are the server's environment.
 */

export interface Sanitiser {
  text(value: string): string;
  deep<T>(value: T): T;
}

const MASK = '****';
/** Declared values shorter than this are not masked literally (`1`, `true`, `dev` would hide too much). */
const MIN_KNOWN_VALUE_LENGTH = 6;
/** This many environment-style pairs make a text an environment dump. */
export const ENV_DUMP_MIN_PAIRS = 3;

export const ENV_PAIR = /(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]{1,63})=([^\s&;,"'`<>]*)/g;
export const ENV_JSON_PAIR = /"([A-Z][A-Z0-9_]{1,63})"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** Distinct environment-style names in `text` (`PATH=…`, `"HOME": "…"`). */
export function envPairNames(text: string): string[] {
  const names = new Set<string>();
  for (const regex of [ENV_PAIR, ENV_JSON_PAIR]) {
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) names.add(match[1]!);
  }
  return [...names];
}

function maskEnvDump(text: string): string {
  if (envPairNames(text).length < ENV_DUMP_MIN_PAIRS) return text;
  return text
    .replace(ENV_PAIR, (_all, name: string, value: string) => `${name}=${value === '' ? '' : MASK}`)
    .replace(ENV_JSON_PAIR, (_all, name: string, value: string) => `"${name}":"${value === '' ? '' : MASK}"`);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createSanitiser(knownValues: readonly string[] = []): Sanitiser {
  const values = [...new Set(knownValues.map((value) => value.trim()).filter((value) => value.length >= MIN_KNOWN_VALUE_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  // A value also appears JSON-escaped inside JSON text.
  const variants = [...new Set(values.flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]))];
  const known = variants.length === 0 ? undefined : new RegExp(variants.map(escapeRegExp).join('|'), 'g');
  const text = (value: string): string => {
    if (typeof value !== 'string') return value;
    const literal = known === undefined ? value : value.replace(known, MASK);
    return maskSecrets(maskEnvDump(literal));
  };
  const deep = <T>(value: T): T => {
    if (value === undefined) return value;
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      return MASK as T;
    }
    const envNames = envPairNames(json);
    // Walk the value rather than the JSON text, so the result stays the same shape.
    const walk = (node: unknown, depth: number): unknown => {
      if (typeof node === 'string') return text(node);
      if (depth > 64 || typeof node !== 'object' || node === null) return node;
      if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        out[text(key)] =
          envNames.length >= ENV_DUMP_MIN_PAIRS && typeof item === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(key) && item !== '' ? MASK : walk(item, depth + 1);
      }
      return out;
    };
    return maskDeep(walk(value, 0)) as T;
  };
  return { text, deep };
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character, and without the token the
 * cut ran through: half a secret is still a leak, and masking cannot recognise it once cut.
 */
export function boundText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  cut = cut.replace(/[^\s"'`,;:()[\]{}<>]*$/, '');
  return { text: cut, truncated: true };
}

export function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return 0;
  }
}
