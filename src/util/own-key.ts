/**
 * Sets `key` on `out` as an own, enumerable data property. A server's `"__proto__"` key must stay a
 * key of our copy (as JSON.parse and Object.fromEntries make it), not silently become the copy's
 * prototype and vanish from the report, so that one key is defined; every other key is assigned
 * (the same property, without turning the copy into a slow dictionary object).
 */
export function setOwnKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
