#!/usr/bin/env node
// The cost of masking a large inventory (src/secrets): maskDeep over N generated tools (the JSON,
// SARIF and discover reports and the --debug trace take this path) and maskSecrets over the same
// inventory as one JSON text (text in which JSON sits: evidence, stderr, raw lines). Each tool has
// six parameters, two of them credential-named with a default, examples or an enum, and a
// description with a `SERVICE_TOKEN=…` pair. Prints the median of MASK_BENCH_RUNS (default 5)
// per N, and the time per tool, which stays flat when the cost is linear. Needs `npm run build`.
// `node scripts/mask-bench.mjs [path/to/dist/secrets/index.js]` measures another build (a baseline).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const module = resolve(process.argv[2] ?? new URL('../dist/secrets/index.js', import.meta.url).pathname);
const { maskDeep, maskSecrets } = await import(pathToFileURL(module).href);
const RUNS = Number(process.env.MASK_BENCH_RUNS ?? 5);
const SIZES = (process.env.MASK_BENCH_SIZES ?? '1250,2500,5000,10000').split(',').map(Number);

function value(i, salt) {
  return `v${(i * 2654435761 + salt).toString(36)}Qx${(i * 40503 + salt * 7).toString(36)}Zp`;
}

function inventory(count) {
  const tools = [];
  for (let i = 0; i < count; i++) {
    tools.push({
      kind: 'tool',
      name: `tool_${i}`,
      description: `Looks up record ${i} in the catalogue. Needs SERVICE_TOKEN=${value(i, 1)} in the environment; returns JSON.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What to look for.', examples: ['red shoes'] },
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
          encoding: { type: 'string', enum: ['utf-8', 'latin1'], default: 'utf-8' },
          api_key: { type: 'string', description: 'The API key.', default: value(i, 2) },
          auth: { type: 'object', properties: { token: { type: 'string', examples: [value(i, 3)] } } },
          session_id: { type: 'string', enum: [value(i, 4), 'none'] },
        },
        required: ['query'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true, title: `Tool ${i}` },
    });
  }
  return { tools };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

console.log(`masker: ${module}; median of ${RUNS} runs`);
console.log('tools    JSON bytes   maskDeep ms   µs/tool   maskSecrets(JSON text) ms   µs/tool');
for (const size of SIZES) {
  const value = inventory(size);
  const text = JSON.stringify(value);
  maskDeep(value); // warm-up
  const deep = time(() => maskDeep(value));
  const flat = time(() => maskSecrets(text));
  const leaked = JSON.stringify(maskDeep(value)).includes(value.tools[0].inputSchema.properties.api_key.default);
  console.log(
    `${String(size).padStart(6)} ${String(text.length).padStart(12)} ${deep.toFixed(1).padStart(13)} ${((deep * 1000) / size).toFixed(1).padStart(9)} ${flat.toFixed(1).padStart(27)} ${((flat * 1000) / size).toFixed(1).padStart(9)}${leaked ? '   (api_key default NOT masked)' : ''}`,
  );
}
