/** Exit codes, documented in README.md and in every command's --help. */
export const EXIT = {
  passed: 0,
  gateFailed: 1,
  usage: 2,
  unreachable: 3,
} as const;

/** A mistake in how the tool was called or configured: one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
