// Loaded with `node --import`: records every module the process loads into the file named by
// MCP_PREFLIGHT_RECORD_MODULES (one URL or path per line): ES modules as they are resolved (a
// loader hook), CommonJS modules (e.g. the TypeScript compiler, which ts-morph requires) from the
// require cache at exit. Lets a test prove what a command did not load.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.MCP_PREFLIGHT_RECORD_MODULES;
if (file) {
  register(new URL('./record-modules-hooks.mjs', import.meta.url), { data: { file } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => appendFileSync(file, `${Object.keys(require.cache).join('\n')}\n`));
}
