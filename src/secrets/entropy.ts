/** Shannon entropy in bits per character: random keys score high, words and repeated runs low. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

const PLACEHOLDER = [
  /^(?:your|my|the|some|example|sample|dummy|fake|test|placeholder|insert|redacted|changeme|change_me)[\w-]*$/i,
  /^[<[{(].*[>\]})]$/, // <token>, [secret], {password}
  /^\$\{?[\w.]+\}?$/, // $TOKEN, ${API_KEY}
  /^\{\{.*\}\}$/, // {{token}}
  /^%[sd]$/,
  /^x{3,}$/i, // xxxxxxxx
  /\*{3,}/, // already masked
  /^(?:password|passwd|pass|secret|token|apikey|api_key|null|undefined|none|true|false)$/i,
];

/** Documentation placeholders (`<token>`, `${API_KEY}`, `your-key-here`) and already-masked values are not secrets. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.some((pattern) => pattern.test(value));
}

/** True when the value looks machine-generated: long enough, mixed characters, high entropy. */
export function looksRandom(value: string, minLength = 16, minEntropy = 3.2): boolean {
  if (value.length < minLength || isPlaceholder(value)) return false;
  if (!/\d/.test(value) && !(/[a-z]/.test(value) && /[A-Z]/.test(value))) return false;
  return shannonEntropy(value) >= minEntropy;
}

/** A provider's prefix on a token (`ghp_`, `sk-ant-api03-`, `xoxb-`, `AKIA`): the format, not the secret. */
const PROVIDER_PREFIX =
  /^(?:gh[pousr]_|github_pat_|sk-ant-(?:[a-z]+\d+-)?|sk-(?:proj-|svcacct-|admin-)?|(?:sk|rk|pk)_(?:live|test)_|xox[abprse]-|(?:AKIA|ASIA|ABIA|ACCA)|AIza)/;
/** Words a template puts where the secret goes; five letters or more, so a random token does not spell one by chance. */
const PLACEHOLDER_WORD = /placeholder|replace|dummy|sample|redacted|changeme|insert|secret[-_]?here|token[-_]?here|key[-_]?here/i;

/**
 * A value in a credential's format that is a template, not a credential: `ghp_xxxx…`,
 * `AKIAXXXXXXXXXXXXXXXX`, `sk-ant-api03-your-key-here`, `xoxb-your-bot-token`, or a plain placeholder (`<your-token>`, `your-api-key-here`). Once the provider prefix is set aside,
 * the rest is filler (at most two distinct characters besides separators, or a run of six x's), or it
 * spells a placeholder word, or `your` as a word of its own. A random token has none of these: the
 * chance that 36 random base-62 characters hold six x's in a row, or one of the words, is about one in
 * a million or less. A vendor's documented example (`AKIAIOSFODNN7EXAMPLE`) is not a placeholder here:
 * repository scans allow those by value (src/repo/secrets.ts), live text still reports them.
 */
export function isPlaceholderSecret(value: string): boolean {
  if (isPlaceholder(value)) return true;
  const body = value.replace(PROVIDER_PREFIX, '');
  if (body.length === 0) return true;
  const characters = new Set(body.toLowerCase().replace(/[-_.]/g, ''));
  if (characters.size <= 2) return true;
  if (/x{6,}/i.test(body) || PLACEHOLDER_WORD.test(body)) return true;
  return /(?:^|[-_.])your(?:[-_.]|$)/i.test(body);
}
