/** The baseline's entries and its outcome on a run (src/baseline/baseline.ts builds and applies them). */

export interface BaselineEntry {
  fingerprint: string;
  target: string;
  rule: string;
  /** `tool "read_file"`, `server`: as the reports name it. */
  capability: string;
  message: string;
}

export interface BaselineOutcome {
  /** The baseline file, as shown to the user. */
  file: string;
  /** Entries that matched nothing on a target that was scanned, with every rule of theirs run: fixed, or changed. */
  stale: BaselineEntry[];
  failOnStale: boolean;
}
