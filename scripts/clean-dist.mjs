// prepack: a stale dist/ (renamed modules, old source maps) must never reach the tarball.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
