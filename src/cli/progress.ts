import yoctoSpinner, { type Spinner } from 'yocto-spinner';
import { maskSecrets } from '../secrets/index.js';

/**
 * Progress of `check` on stderr, only where a person watches: stderr is a terminal, TERM is not
 * `dumb`, not in CI, and not --quiet. Elsewhere (a pipe, a file, CI logs) it writes nothing at all,
 * so machine-read output never carries spinner frames. One spinner line for all targets:
 * `2/5 done · api: list pages (tools: 3 pages, 250 items) · web: connect`.
 */

export type Stage = 'connect' | 'list pages' | 'probes' | 'source' | 'rules';

/** Told where a target is; optional everywhere it is threaded, so collectors run the same without it. */
export type ProgressSink = (stage: Stage, detail?: string) => void;

export interface Progress {
  /** The sink for one target. */
  target(name: string): ProgressSink;
  /** The target is finished (scanned or failed). */
  done(name: string): void;
  /** Clears the line; nothing stays on the terminal. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Frame interval (the spinner library's default otherwise). */
  interval?: number;
}

const SILENT: Progress = { target: () => () => {}, done: () => {}, stop: () => {} };

export function progressEnabled(options: ProgressOptions): boolean {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  return stream.isTTY === true && !options.quiet && env.TERM !== 'dumb' && !('CI' in env);
}

export function startProgress(total: number, options: ProgressOptions = {}): Progress {
  if (!progressEnabled(options)) return SILENT;
  const stream = options.stream ?? process.stderr;
  const active = new Map<string, string>();
  let finished = 0;
  let spinner: Spinner | undefined = yoctoSpinner({
    stream: stream as NodeJS.WriteStream,
    // The CLI cleans up its servers on signals itself.
    handleSignals: false,
    ...(options.interval !== undefined ? { spinner: { frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'], interval: options.interval } } : {}),
  }).start(text());

  function text(): string {
    const parts = [`${finished}/${total} done`, ...[...active].map(([name, stage]) => `${name}: ${stage}`)];
    // Target names and details come from the config and the server: masked like every output.
    return maskSecrets(parts.join(' · '));
  }
  const render = () => {
    if (spinner) spinner.text = text();
  };
  return {
    target: (name) => (stage, detail) => {
      active.set(name, detail === undefined ? stage : `${stage} (${detail})`);
      render();
    },
    done: (name) => {
      active.delete(name);
      finished++;
      render();
    },
    stop: () => {
      spinner?.clear();
      spinner?.stop();
      spinner = undefined;
    },
  };
}
