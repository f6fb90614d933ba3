import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/action-local.mjs';
import { repoRoot } from '../helpers/fixtures.js';

describe('action.yml, run locally by scripts/action-local.mjs', () => {
  it('produces the SARIF, the job summary and the annotations for a failing and a passing fixture', () => {
    const result = spawnSync(process.execPath, ['scripts/action-local.mjs'], { cwd: repoRoot, encoding: 'utf8', timeout: 230_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok  bad fixture: gate fails\nok  clean fixture: gate passes\n');
    expect(result.status).toBe(0);
  }, 240_000);

  it('passes inputs as data, never as shell code, and reports a bad format as one annotation, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-action-inject-'));
    const marker = join(dir, 'pwned');
    const injected = runAction({ stdio: 'node fixtures/servers/clean-stdio.mjs', target: `$(touch ${marker})`, sarif: join(dir, 'x.sarif') }, dir);
    expect(existsSync(marker)).toBe(false);
    expect(injected.outputs['exit-code']).toBe('2');
    const badFormat = runAction({ stdio: 'node fixtures/servers/clean-stdio.mjs', formats: 'sarif,pdf' }, dir);
    const check = badFormat.steps.find((step: { id: string }) => step.id === 'check')!;
    expect(check.status).toBe(2);
    expect(check.stdout.trim()).toBe('::error title=mcp-preflight action::formats: unknown format "pdf"; use sarif, markdown, github, json, junit');
  }, 240_000);

  it("leaves the config's gate alone unless fail-on is given", () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-action-gate-'));
    const config = join(dir, 'mcp-preflight.yaml');
    // The clean fixture has one note: it fails a gate at "note" and passes the default one.
    writeFileSync(
      config,
      `version: 1\ntargets:\n  - name: clean\n    command: node ${join(repoRoot, 'fixtures/servers/clean-stdio.mjs')}\ngate:\n  failOn: note\n`,
    );
    const fromConfig = runAction({ config, sarif: join(dir, 'a.sarif') }, join(dir, 'a'));
    expect(fromConfig.outputs['exit-code']).toBe('1');
    const overridden = runAction({ config, 'fail-on': 'error', sarif: join(dir, 'b.sarif') }, join(dir, 'b'));
    expect(overridden.outputs['exit-code']).toBe('0');
  }, 240_000);

  it('passes the baseline input on: a baselined finding no longer fails the gate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-action-baseline-'));
    const stdio = 'node fixtures/servers/clean-stdio.mjs';
    const baseline = join(dir, 'baseline.json');
    const written = spawnSync(process.execPath, ['bin/mcp-preflight.js', 'baseline', '--stdio', stdio, '--output', baseline], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(written.status, written.stderr).toBe(0);
    // The clean fixture's one note fails a gate at "note"; with it baselined, the same gate passes.
    expect(runAction({ stdio, 'fail-on': 'note', sarif: join(dir, 'a.sarif') }, join(dir, 'a')).outputs['exit-code']).toBe('1');
    expect(runAction({ stdio, 'fail-on': 'note', baseline, sarif: join(dir, 'b.sarif') }, join(dir, 'b')).outputs['exit-code']).toBe('0');
  }, 240_000);
});
