/**
 * `${NAME}` expansion for config values (secrets stay in the environment, never in the file).
 * `$${NAME}` is a literal `${NAME}`. Values are expanded in memory only; nothing is written back.
 */

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface UnsetVariable {
  name: string;
  path: Array<string | number>;
}

export interface Expanded<T> {
  value: T;
  /** Variables that were referenced but not set, with where. */
  unset: UnsetVariable[];
  /** Paths of the strings that were expanded from the environment. */
  expandedPaths: Array<Array<string | number>>;
}

export function expandString(text: string, env: NodeJS.ProcessEnv, onUnset: (name: string) => void): string {
  return text.replace(REFERENCE, (_whole, escape: string, name: string) => {
    if (escape === '$') return `\${${name}}`;
    const value = env[name];
    if (value === undefined) {
      onUnset(name);
      return '';
    }
    return value;
  });
}

/** A copy of `value` with every `${NAME}` in its strings replaced from `env`. Keys are left alone. */
export function expandEnv<T>(value: T, env: NodeJS.ProcessEnv = process.env): Expanded<T> {
  const unset: UnsetVariable[] = [];
  const expandedPaths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('${')) return node;
      const expanded = expandString(node, env, (name) => unset.push({ name, path }));
      expandedPaths.push(path);
      return expanded;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (typeof node === 'object' && node !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) out[key] = walk(item, [...path, key]);
      return out;
    }
    return node;
  };
  return { value: walk(value, []) as T, unset, expandedPaths };
}
