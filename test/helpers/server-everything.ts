// The reference server from npm (@modelcontextprotocol/server-everything, pinned in package.json),
// a real third-party peer: its bin, and a Streamable HTTP instance on an ephemeral 127.0.0.1 port.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const everythingPackage = require.resolve('@modelcontextprotocol/server-everything/package.json');

/** Absolute path of the `mcp-server-everything` script. */
export const everythingBin = join(dirname(everythingPackage), (require(everythingPackage) as { bin: Record<string, string> }).bin['mcp-server-everything']!);

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
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`server-everything did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `body` against server-everything in Streamable HTTP mode, and kills the server afterwards. */
export async function withEverythingOverHttp<T>(body: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server = spawn(process.execPath, [everythingBin, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    await waitForPort(port, 30_000); // a hang guard: a loaded machine starts it in seconds
    return await body(`http://127.0.0.1:${port}/mcp`);
  } finally {
    server.kill('SIGKILL');
  }
}
