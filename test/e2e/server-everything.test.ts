import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';
import { everythingBin, withEverythingOverHttp } from '../helpers/server-everything.js';

function checkSarif(file: string) {
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  expect(validateSarifSchema(sarif)).toEqual([]);
  assertGithubContract(sarif);
  return sarif;
}

describe('@modelcontextprotocol/server-everything as a third-party peer', () => {
  it('over stdio: the gate decides the exit code and the SARIF validates', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'e.sarif');
    const result = await runCli(['check', '--stdio', `${process.execPath} ${everythingBin} stdio`, '--format', 'sarif,json', '--output', `${out},${out}.json`]);
    const report = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    expect(result.code).toBe(report.gate.counts.error > 0 ? 1 : 0);
    const inventory = report.targets[0].inventory;
    expect(inventory.server.info.name).toBe('mcp-servers/everything');
    expect(inventory.tools.map((tool: { name: string }) => tool.name)).toContain('get-env');
    const sarif = checkSarif(out);
    expect(sarif.runs[0].tool.driver.name).toBe('mcp-preflight');
  });

  it('over Streamable HTTP on 127.0.0.1', async () => {
    await withEverythingOverHttp(async (url) => {
      const out = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'http.sarif');
      const result = await runCli(['check', '--url', url, '--format', 'sarif', '--output', out]);
      expect([0, 1]).toContain(result.code);
      expect(result.stdout).toContain('streamable-http');
      checkSarif(out);
    });
  });
});
