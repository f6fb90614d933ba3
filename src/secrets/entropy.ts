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
