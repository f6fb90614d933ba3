import { connect as netConnect } from 'node:net';
import type { Deadline } from './deadline.js';

export class TcpCheckError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'TcpCheckError';
  }
}

/**
 * Opens and closes one TCP connection to the target before the SDK speaks HTTP, so that "nothing is
 * listening" is reported as exactly that, whatever fetch would have made of it (fetch refuses some
 * ports outright and wraps every network error in "fetch failed").
 */
export function checkTcpReachable(url: URL, deadline: Deadline): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TcpCheckError(`TCP connection to ${host}:${port} timed out`, 'ETIMEDOUT'));
    }, deadline.remainingMs());
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new TcpCheckError(error.message, error.code ?? 'ECONNECT'));
    });
  });
}

/** Ports fetch refuses to use (WHATWG Fetch "bad port" list), so the SDK cannot reach a server on them. */
export const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);
