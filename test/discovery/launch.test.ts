// Launched HTTP targets (config `command` with `url`) for real: the collector starts
// fixtures/servers/http-server.mjs, waits for its port, scans it over HTTP on 127.0.0.1, reads its
// listen sockets from /proc, and stops it; transport/binds-all-interfaces judges the addresses.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTarget } from '../../src/collect/collect-target.js';
import { parseConfig } from '../../src/config/load.js';
import { listenSockets } from '../../src/discovery/listen-sockets.js';
import { DEFAULT_LIMITS } from '../../src/discovery/target.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { fixturePath } from '../helpers/fixtures.js';

const TIMEOUT_MS = 30_000;
const rule = loadBuiltinRules().filter((entry) => entry.id === 'transport/binds-all-interfaces');

/** A port nothing listens on right now (the OS picks it; closed again before use). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function scanLaunched(host: string, urlPath = '/mcp') {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-launch-'));
  const file = path.join(dir, 'mcp-preflight.yaml');
  const yaml = `targets:\n  - name: local\n    command: ${process.execPath}\n    args: [${JSON.stringify(fixturePath('http-server.mjs'))}, --port, "${port}", --host, "${host}"]\n    url: http://127.0.0.1:${port}${urlPath}\n`;
  writeFileSync(file, yaml);
  const config = parseConfig(yaml, file, {});
  const spec = config.targets[0]!.spec;
  expect(spec.kind === 'http' && spec.launch !== undefined).toBe(true);
  const collected = await collectTarget(spec, { limits: { ...DEFAULT_LIMITS, timeoutMs: TIMEOUT_MS }, workingDirectory: dir });
  return { collected, port, stillListening: await accepts(port) };
}

describe.runIf(process.platform === 'linux')('launched HTTP target (Linux socket table)', () => {
  it('catches a server bound to 0.0.0.0, reached on 127.0.0.1, and stops it afterwards', async () => {
    const { collected, port, stillListening } = await scanLaunched('0.0.0.0');
    expect(collected.failure).toBeUndefined();
    expect(collected.inventory!.tools.length).toBeGreaterThan(0);
    expect(collected.inventory!.launch?.listen).toEqual({ available: true, sockets: [{ address: '0.0.0.0', port, family: 'IPv4' }] });
    const run = runRules(collected.inventory!, rule, { targetId: 'local' });
    expect(run.findings.map((finding) => `${finding.messageId} ${finding.evidenceKind} ${finding.data.address}:${finding.data.port}`)).toEqual([
      `listening live 0.0.0.0:${port}`,
    ]);
    expect(stillListening).toBe(false);
  }, 60_000);

  it('stays quiet on a server bound to 127.0.0.1', async () => {
    const { collected, port, stillListening } = await scanLaunched('127.0.0.1');
    expect(collected.inventory!.launch?.listen).toEqual({ available: true, sockets: [{ address: '127.0.0.1', port, family: 'IPv4' }] });
    const run = runRules(collected.inventory!, rule, { targetId: 'local' });
    expect(run.findings).toEqual([]);
    expect(run.outcomes).toEqual([{ ruleId: 'transport/binds-all-interfaces', status: 'ran', findings: 0 }]);
    expect(stillListening).toBe(false);
  }, 60_000);

  it('stops the server when the scan fails (wrong endpoint path)', async () => {
    const { collected, stillListening } = await scanLaunched('127.0.0.1', '/not-here');
    expect(collected.failure?.message).toMatch(/target local/);
    expect(stillListening).toBe(false);
  }, 60_000);
});

describe('the socket table', () => {
  it('reads LISTEN sockets of the process group only, IPv4 and IPv6', () => {
    const proc = mkdtempSync(path.join(tmpdir(), 'preflight-proc-'));
    const processDir = (pid: number, pgid: number, inodes: number[]) => {
      mkdirSync(path.join(proc, String(pid), 'fd'), { recursive: true });
      writeFileSync(path.join(proc, String(pid), 'stat'), `${pid} (node (x)) S 1 ${pgid} ${pgid} 0 -1\n`);
      inodes.forEach((inode, fd) => symlinkSync(`socket:[${inode}]`, path.join(proc, String(pid), 'fd', String(fd))));
    };
    processDir(100, 100, [11, 12]);
    processDir(101, 100, [13]);
    processDir(200, 200, [21]);
    mkdirSync(path.join(proc, 'net'));
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    writeFileSync(
      path.join(proc, 'net', 'tcp'),
      header +
        '   0: 00000000:0F4D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 11 1 0 100 0 0 10 0\n' +
        '   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 12 1 0 100 0 0 10 0\n' +
        '   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 21 1 0 100 0 0 10 0\n',
    );
    writeFileSync(
      path.join(proc, 'net', 'tcp6'),
      header +
        '   0: 00000000000000000000000001000000:0F4E 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 13 1 0 100 0 0 10 0\n',
    );
    expect(listenSockets(100, proc, 'linux')).toEqual({
      available: true,
      sockets: [
        { address: '0.0.0.0', port: 3917, family: 'IPv4' },
        { address: '::1', port: 3918, family: 'IPv6' },
      ],
    });
  });

  it('is unavailable, with the reason, elsewhere than Linux', () => {
    expect(listenSockets(1, '/proc', 'darwin')).toEqual({ available: false, reason: expect.stringMatching(/not available on darwin/) });
  });
});

describe.runIf(process.platform === 'linux')('check with a launched HTTP target in the config (the built CLI)', () => {
  it('starts the server, reports the all-interfaces bind, and leaves nothing listening', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-launch-cli-'));
    const config = path.join(dir, 'mcp-preflight.yaml');
    writeFileSync(
      config,
      `targets:\n  - name: local\n    command: ${process.execPath}\n    args: [${JSON.stringify(fixturePath('http-server.mjs'))}, --port, "${port}", --host, 0.0.0.0]\n    url: http://127.0.0.1:${port}/mcp\n    timeout: 30\n`,
    );
    const out = path.join(dir, 'report.json');
    const result = await runCli(['check', '--config', config, '--format', 'json', '--output', out], { timeoutMs: 90_000 });
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const findings = report.targets[0].findings.filter((finding: { ruleId: string }) => finding.ruleId === 'transport/binds-all-interfaces');
    expect(findings.map((finding: { messageId: string; evidenceKind: string }) => `${finding.messageId} ${finding.evidenceKind}`)).toEqual(['listening live']);
    expect(result.code).not.toBe(3);
    expect(await accepts(port)).toBe(false);
  }, 120_000);
});
