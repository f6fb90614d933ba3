// The listen-socket facts (src/discovery/listen-sockets.ts reads them). Type-only, so model.ts can
// name them without importing the module that reads /proc.

export interface ListenSocket {
  /** `0.0.0.0`, `127.0.0.1`, `::`, `::1`, ... */
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export type ListenFacts = { available: true; sockets: ListenSocket[] } | { available: false; reason: string };
