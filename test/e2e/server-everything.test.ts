import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

// The reference server from npm, pinned in package.json, as a real third-party peer.
const require = createRequire(import.meta.url);
const everythingPackage = require.resolve('@modelcontextprotocol/server-everything/package.json');
const everythingBin = join(dirname(everythingPackage), (require(everythingPackage) as { bin: Record<string, string> }).bin['mcp-server-everything']!);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`server-everything did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
    const port = await freePort();
    const server = spawn(process.execPath, [everythingBin, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    try {
      await waitForPort(port, 10_000);
      const out = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'http.sarif');
      const result = await runCli(['check', '--url', `http://127.0.0.1:${port}/mcp`, '--format', 'sarif', '--output', out]);
      expect([0, 1]).toContain(result.code);
      expect(result.stdout).toContain('streamable-http');
      checkSarif(out);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
