import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ListenFacts, ListenSocket } from './listen-types.js';

/**
 * The addresses a launched server's process group listens on, read from the OS socket table: on
 * Linux `/proc/net/tcp` and `/proc/net/tcp6` (state LISTEN), matched by socket inode against the
 * open descriptors (`/proc/<pid>/fd`) of every process in the group. Nothing is sent anywhere. Other
 * platforms: the fact is unavailable, and says why (never an empty list, which would read as a pass).
 */

export type { ListenFacts, ListenSocket } from './listen-types.js';

/** Pids whose process group is `pgid` (from `/proc/<pid>/stat`, field 5). */
function groupPids(pgid: number, proc: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`${proc}/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses: split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

function socketInodes(pid: number, proc: string): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const link = readlinkSync(`${proc}/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(link);
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** `0100007F` → `127.0.0.1` (little-endian per 32-bit word, as the kernel prints it). */
function ipv4(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  return [bytes[3], bytes[2], bytes[1], bytes[0]].join('.');
}

/** Four little-endian 32-bit words → the IPv6 address, shortened; a v4-mapped address stays `::ffff:a.b.c.d`. */
function ipv6(hex: string): string {
  const bytes = Buffer.alloc(16);
  for (let word = 0; word < 4; word += 1) {
    const chunk = Buffer.from(hex.slice(word * 8, word * 8 + 8), 'hex');
    for (let index = 0; index < 4; index += 1) bytes[word * 4 + index] = chunk[3 - index]!;
  }
  if (bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.subarray(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > best.length && length >= 2) best = { start, length };
  }
  const hexOf = (list: number[]) => list.map((group) => group.toString(16)).join(':');
  if (best.start < 0) return hexOf(groups);
  return `${hexOf(groups.slice(0, best.start))}::${hexOf(groups.slice(best.start + best.length))}`;
}

function listening(table: string, family: ListenSocket['family'], inodes: Set<string>): ListenSocket[] {
  const sockets: ListenSocket[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (fields.length < 10 || fields[3] !== '0A' || !inodes.has(fields[9]!)) continue;
    const [addressHex, portHex] = fields[1]!.split(':');
    if (addressHex === undefined || portHex === undefined) continue;
    sockets.push({ address: family === 'IPv4' ? ipv4(addressHex) : ipv6(addressHex), port: parseInt(portHex, 16), family });
  }
  return sockets;
}

/** What the process group `pgid` listens on. `proc` is the procfs mount (a test may point it elsewhere). */
export function listenSockets(pgid: number, proc = '/proc', platform: NodeJS.Platform = process.platform): ListenFacts {
  if (platform !== 'linux')
    return { available: false, reason: `the listen address is read from the Linux socket table (/proc/net/tcp); not available on ${platform}` };
  try {
    const inodes = new Set<string>();
    for (const pid of groupPids(pgid, proc)) for (const inode of socketInodes(pid, proc)) inodes.add(inode);
    const sockets: ListenSocket[] = [];
    for (const [file, family] of [
      ['tcp', 'IPv4'],
      ['tcp6', 'IPv6'],
    ] as const) {
      let table: string;
      try {
        table = readFileSync(`${proc}/net/${file}`, 'utf8');
      } catch {
        continue; // no IPv6 in this kernel
      }
      sockets.push(...listening(table, family, inodes));
    }
    const seen = new Set<string>();
    return {
      available: true,
      sockets: sockets.filter((socket) => !seen.has(`${socket.address} ${socket.port}`) && seen.add(`${socket.address} ${socket.port}`) !== undefined),
    };
  } catch (error) {
    return { available: false, reason: `the socket table could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** True for an address that means every interface: `0.0.0.0`, `::`, `::ffff:0.0.0.0`. */
export function isAllInterfaces(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0';
}
