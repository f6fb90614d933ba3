import { truncateSafely } from '../secrets/truncate.js';
import type { Deadline } from './deadline.js';
import { errorCode, httpStatus, networkCause, stripSdkPrefixes } from './errors.js';
import type { EraProbeTrace } from './server-meta.js';

/**
 * Era fallback (MCP-GROUND-TRUTH.md §1.3): the client probes with `server/discover` first. The SDK
 * falls back to `initialize` on its own for a JSON-RPC error, a result that is not a 2026-07-28
 * one, a 4xx, or (stdio) silence; it gives up on an HTTP 5xx, an unreadable reply, a dropped
 * connection or (HTTP) silence. Any 2025 client reaches such a server with `initialize`, so over
 * HTTP we connect again in the legacy era before giving up, and say why (src/discovery/connect.ts).
 */

const MAX_REASON_TEXT = 120;

/** Whether a failed negotiated connect failed in the probe, so that `initialize` was never tried. */
export function probeFailedBeforeInitialize(error: unknown, probe: EraProbeTrace, deadline: Deadline): boolean {
  if (!probe.sent || probe.initializeSent || deadline.expired()) return false;
  const status = httpStatus(probe.sendError ?? error);
  // Credentials or a refused redirect would be refused to `initialize` alike.
  if (status !== undefined && (status === 401 || status === 403 || (status >= 300 && status < 400))) return false;
  const network = networkCause(error);
  return network === undefined || network === 'ECONNRESET';
}

/** One line: what the probe got instead of a valid 2026-07-28 answer. */
export function probeOutcome(probe: EraProbeTrace, probeTimeoutMs: number, error?: unknown): string {
  const answer = probe.answer;
  if (answer !== undefined && 'error' in answer) {
    const { code, message } = answer.error;
    const text = typeof message === 'string' && message !== '' ? ` (${truncateSafely(message, MAX_REASON_TEXT)})` : '';
    return `server/discover was answered with JSON-RPC error ${typeof code === 'number' ? code : '(no code)'}${text}`;
  }
  if (answer !== undefined) {
    const versions = (answer.result as { supportedVersions?: unknown } | null)?.supportedVersions;
    return Array.isArray(versions) && versions.every((v) => typeof v === 'string') && versions.length > 0
      ? `server/discover offered ${truncateSafely(versions.join(', '), MAX_REASON_TEXT)}, none of which this client speaks`
      : 'server/discover was answered with a result that is not a valid 2026-07-28 response';
  }
  const status = httpStatus(probe.sendError);
  if (status !== undefined) return `server/discover was answered HTTP ${status}`;
  const cause = probe.sendError ?? error;
  if (cause === undefined || errorCode(cause) === 'REQUEST_TIMEOUT' || /timed out/i.test(messageOf(cause))) {
    return `server/discover got no answer within ${Math.round(probeTimeoutMs / 100) / 10} s`;
  }
  if (errorCode(cause) === 'CONNECTION_CLOSED' || /closed/i.test(messageOf(cause))) return 'the server closed the connection on server/discover';
  return `server/discover failed: ${truncateSafely(stripSdkPrefixes(messageOf(cause)), MAX_REASON_TEXT)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
