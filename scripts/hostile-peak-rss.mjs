// Preloaded into the CLI by scripts/hostile-table.mjs (`node --import`): at exit, writes the
// process's own peak resident memory (getrusage maxRSS, KiB) to $HOSTILE_PEAK_RSS_FILE. Exact where
// polling /proc could miss a peak in the last moments before exit.
import { writeFileSync } from 'node:fs';

const file = process.env.HOSTILE_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // The measurement is best effort; the polled figure remains.
    }
  });
}
