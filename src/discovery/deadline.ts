/** One time budget for a whole target: connect and every list request share it. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly totalMs: number;
  remainingMs(): number;
  expired(): boolean;
  dispose(): void;
}

export function createDeadline(totalMs: number): Deadline {
  const controller = new AbortController();
  const endsAt = performance.now() + totalMs;
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${totalMs} ms`)), totalMs);
  timer.unref();
  return {
    signal: controller.signal,
    totalMs,
    remainingMs: () => Math.max(1, Math.round(endsAt - performance.now())),
    expired: () => controller.signal.aborted || performance.now() >= endsAt,
    dispose: () => clearTimeout(timer),
  };
}
