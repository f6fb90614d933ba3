import { definitions } from './definitions.js';
import { fastmcp } from './fastmcp.js';
import { mcpFramework } from './mcp-framework.js';
import { sdkHighLevel } from './sdk-high-level.js';
import { sdkLowLevel } from './sdk-low-level.js';
import type { Shape } from './shape.js';
import { xmcp } from './xmcp.js';

/**
 * Every framework shape source analysis reads, in order: registrations found during the shared walk
 * come in source order, then each shape's `finish` adds its own in the order of this list.
 * definitions.ts comes last: a definition object another shape registers at the same name is dropped
 * (analyze.ts). sdk-v2.ts and cloudflare-agent.ts are not in it: those shapes register through the high-level
 * calls, and sdk-high-level.ts labels them.
 *
 * To add a framework shape: write `shapes/<name>.ts` exporting a `Shape` (a `detect` when it only
 * occurs in some projects or files, and an `extract` whose `visit` sees the nodes of its `kinds` and
 * whose `finish` runs after the walk), build its registrations with `base()` from registration.ts and the
 * readers in values.ts, add its name to `RegistrationShape` in ../types.ts, list it here, and give
 * it a project under fixtures/projects/ with cases in test/source/extract.test.ts.
 */
export const SHAPES: readonly Shape[] = [sdkHighLevel, sdkLowLevel, fastmcp, mcpFramework, xmcp, definitions];

export type { ExtractOptions, Shape } from './shape.js';
