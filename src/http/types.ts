/**
 * Facts from the HTTP surface probes (src/http/probe.ts): what the target's origin answered to a
 * handful of raw requests. Rules in rules/auth.yaml and rules/transport.yaml judge them; the probes
 * never judge. Part of the Inventory (`inventory.http`, with `'http'` in `inventory.facts`), so every
 * change here is a change to the inventory JSON format.
 */

/** The JSON-RPC message found in a response body (plain JSON or the first SSE event carrying an id). */
export interface JsonRpcSummary {
  hasResult: boolean;
  errorCode?: number;
  errorMessage?: string;
  /** `result.protocolVersion` of an initialize response. */
  protocolVersion?: string;
  /** Number of tools in a `tools/list` result. */
  toolCount?: number;
}

/** One raw request and what came back. Credential values are never stored, only header names. */
export interface ProbeExchange {
  /** What this exchange tests, e.g. `initialize without credentials`. */
  purpose: string;
  method: string;
  /** Path and query on the target's origin. */
  path: string;
  /** Header names sent (values of non-credential headers the probe chose itself, e.g. Origin, Host). */
  sent: Record<string, string>;
  status?: number;
  /** Response headers, lower-case names, multiple values joined with ", ", each value bounded. */
  headers: Record<string, string>;
  /** The first bytes of the body as text (bounded). */
  body?: string;
  bodyTruncated?: boolean;
  jsonrpc?: JsonRpcSummary;
  /** Network error or timeout; set instead of `status`. */
  error?: string;
  durationMs: number;
}

/** A parsed `WWW-Authenticate` challenge (the first one in the header). */
export interface AuthChallenge {
  status: number;
  /** The header as served (bounded); absent when the 401 carried none. */
  header?: string;
  scheme?: string;
  params: Record<string, string>;
}

/** One RFC 9728 protected resource metadata location we tried. */
export interface ResourceMetadataProbe {
  /** Where the URL came from. */
  source: 'header' | 'path-suffixed' | 'root';
  url: string;
  /** False when the URL is on another origin: it was not fetched (probes stay on the target's origin). */
  sameOrigin: boolean;
  status?: number;
  error?: string;
  /** The document, when it parsed as a JSON object. */
  document?: Record<string, unknown>;
  /** Why the body was not a usable document (not JSON, not an object). */
  invalid?: string;
}

export interface TlsFacts {
  /** The handshake with default settings (and --ca) succeeded and the chain verified for the host name. */
  authorized: boolean;
  /** OpenSSL's code when it did not, e.g. DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID. */
  authorizationError?: string;
  /** Negotiated protocol, e.g. TLSv1.3. */
  protocol?: string;
  /** Peer certificate summary. */
  certificate?: { subject?: string; issuer?: string; validFrom?: string; validTo?: string; subjectAltNames?: string };
  /** Protocols below TLS 1.2 the server completed a handshake with (tried only with a client that offers them). */
  legacyProtocolsAccepted: string[];
  /** Why the legacy protocol probe could not judge (e.g. the local OpenSSL refuses to offer TLS 1.0/1.1). */
  legacyProbeNote?: string;
  error?: string;
  /** A private CA file was given with --ca. */
  customCa: boolean;
}

export interface HttpFacts {
  /** The endpoint probed (the target URL) and its origin; probes never leave this origin. */
  url: string;
  origin: string;
  scheme: 'http' | 'https';
  /** The URL's host is a loopback name or address (localhost, 127.0.0.0/8, ::1). */
  loopback: boolean;
  /** Names of the headers of the scan that carry credentials (Authorization, cookies, API keys). */
  credentialHeaders: string[];
  /** The target declared `auth: none` with this reason (config or --auth-none). */
  authNone?: { reason: string };
  /** The protocol revision the probes spoke (the one live discovery negotiated, else 2025-11-25). */
  protocolVersion: string;
  durationMs: number;
  /** Probes that did not run for lack of time or for a reason stated here. */
  notes: string[];

  /** initialize (then tools/list) with no credentials at all. */
  anonymous: {
    initialize: ProbeExchange;
    toolsList?: ProbeExchange;
    /** initialize and tools/list both succeeded with no credentials. */
    accessGranted: boolean;
  };
  /** The challenge of the anonymous initialize, when it was refused with 401 or 403. */
  challenge?: AuthChallenge;
  /** RFC 9728 documents: from the challenge's resource_metadata, path-suffixed and root well-known URLs. */
  resourceMetadata: ResourceMetadataProbe[];
  /** initialize with the scan's own headers (credentials included): can the probes below get in? */
  baseline: ProbeExchange;
  /** The baseline got a JSON-RPC result: probes that need access judged a server that let us in. */
  access: boolean;
  /** tools/list in the baseline session with a valid MCP-Protocol-Version (a control for the next probe). */
  toolsList?: ProbeExchange;
  /** POST with a foreign Origin, and with the target's own origin. */
  originHeader?: { foreignOrigin: string; foreign: ProbeExchange; own: ProbeExchange };
  /** POST with a foreign Host header. */
  hostHeader?: { foreignHost: string; foreign: ProbeExchange };
  /** CORS preflight (OPTIONS) from a foreign origin. */
  cors?: { foreignOrigin: string; preflight: ProbeExchange };
  /** Mcp-Session-Id values of several fresh sessions (each ended with DELETE afterwards). */
  sessions?: { ids: string[]; requested: number };
  /** A request in the baseline session with an invalid MCP-Protocol-Version header. */
  protocolVersionHeader?: { sent: string; response: ProbeExchange };
  /** GET on the endpoint (Accept: text/event-stream), in the baseline session when there is one. */
  get?: ProbeExchange;
  tls?: TlsFacts;
}
