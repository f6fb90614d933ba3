/**
 * Discovery failures become one line for the user: what went wrong, where, and what to try.
 * Everything that can go wrong while reaching a server ends here, so the CLI never prints a stack
 * trace for a server's fault (exit 3).
 */
export class DiscoveryError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly stderrTail?: string,
    options?: { cause?: unknown; exit?: { code: number | null; signal: string | null }; timedOut?: boolean },
  ) {
    super(message, options);
    this.name = 'DiscoveryError';
    // How a stdio server ended, for callers that judge it (kill-switch verification).
    if (options?.exit !== undefined) this.exit = options.exit;
    if (options?.timedOut) this.timedOut = true;
  }

  readonly exit?: { code: number | null; signal: string | null };
  readonly timedOut?: boolean;
  /** Non-JSON-RPC lines a stdio server wrote before the failure (set by discover; a fact rules still judge). */
  stdoutNoise?: { lines: number; samples: string[] };
}

/** `MCP error -32602: MCP error -32602: x` → `x` (the SDK prefixes messages, sometimes twice). */
export function stripSdkPrefixes(message: string): string {
  return message.replace(/^(MCP error -?\d+: )+/, '');
}

export function errorCode(error: unknown): string | number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') return code;
  return undefined;
}

/** The low-level network cause of a failed fetch (`ECONNREFUSED`, `ENOTFOUND`, …), if any. */
export function networkCause(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (code in NETWORK_MESSAGES || /^E(CONN|HOST|NET|ADDR|AI_)/.test(code))) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const nested = networkCause(errors[0]);
      if (nested) return nested;
    }
    const data = (current as { data?: unknown }).data;
    const dataCause = typeof data === 'object' && data !== null ? (data as { cause?: unknown }).cause : undefined;
    current = (current as { cause?: unknown }).cause ?? dataCause;
  }
  return undefined;
}

/** HTTP status carried by an SDK HTTP error, if any. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data === 'object' && data !== null && typeof (data as { status?: unknown }).status === 'number') {
    return (data as { status: number }).status;
  }
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain contains a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

export function describeNetworkCause(code: string): string {
  return NETWORK_MESSAGES[code] ?? `network error ${code}`;
}
