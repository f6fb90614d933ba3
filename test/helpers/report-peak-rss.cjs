// Preloaded into the CLI by runCli (node --require): at exit, writes the process's peak resident
// memory (getrusage maxRSS, KiB) to the file named by MCP_PREFLIGHT_PEAK_RSS_FILE. Exact, unlike
// sampling, which can miss a spike just before exit.
const { writeFileSync } = require('node:fs');
const file = process.env.MCP_PREFLIGHT_PEAK_RSS_FILE;
if (file) {
  // Not inherited by the servers the CLI spawns (it passes them only the declared environment).
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // The test falls back to the sampled figure.
    }
  });
}
