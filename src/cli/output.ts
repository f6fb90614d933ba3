import { accessSync, closeSync, constants, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

export interface OutputTarget<F extends string> {
  format: F;
  /** Absent: standard output. */
  file?: string;
}

function splitList(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

/**
 * `--format sarif --output e.sarif` writes SARIF to the file and still prints the human report on
 * stdout (the usual CI call). Formats pair with outputs in order; a format without a file goes to
 * stdout (so does the file `-`), and at most one may.
 */
export function planOutputs<F extends string>(formatsFlag: string[], outputsFlag: string[], known: readonly F[], human: F): OutputTarget<F>[] {
  const formats = splitList(formatsFlag);
  const files = splitList(outputsFlag);
  for (const format of formats) {
    if (!known.includes(format as F)) throw new UsageError(`--format ${format}: unknown format; use one of ${known.join(', ')}`);
  }
  if (files.length > formats.length && !(formats.length === 0 && files.length === 1)) {
    throw new UsageError(`${files.length} --output files for ${formats.length || 1} --format values; give one file per format`);
  }
  if (formats.length === 0) formats.push(files.length === 1 ? inferFormat(files[0]!, known, human) : human);
  // `-` is standard output, as for most command-line tools (`--format json --output -`).
  const plan: OutputTarget<F>[] = formats.map((format, index) => ({
    format: format as F,
    ...(files[index] && files[index] !== '-' ? { file: files[index] } : {}),
  }));
  const toStdout = plan.filter((entry) => entry.file === undefined);
  if (toStdout.length > 1) throw new UsageError('only one format can go to standard output; give --output files for the others');
  if (toStdout.length === 0 && !plan.some((entry) => entry.format === human)) plan.push({ format: human });
  return plan;
}

function inferFormat<F extends string>(file: string, known: readonly F[], fallback: F): F {
  const extension = path.extname(file).slice(1).toLowerCase();
  const format = extension === 'md' ? 'markdown' : extension;
  return known.includes(format as F) ? (format as F) : fallback;
}

/**
 * Checks every output file before anything is spawned, so a typo costs no scan: the path is not a
 * directory, its missing parents are created one level at a time (a recursive mkdir under /proc
 * retries for ever), and the file can be opened for writing. Throws UsageError naming the path.
 */
export function checkOutputs(plan: ReadonlyArray<OutputTarget<string>>): void {
  for (const entry of plan) if (entry.file !== undefined) checkOutputFile(entry.file);
}

function checkOutputFile(file: string): void {
  const absolute = path.resolve(file);
  const fail = (problem: string): never => {
    throw new UsageError(`--output ${file}: ${problem}; give a writable file path`);
  };
  const existing = statOf(absolute);
  if (existing?.isDirectory()) fail('is a directory');
  if (existing !== undefined) {
    // access(), not open(): opening a FIFO for writing would wait for a reader.
    try {
      accessSync(absolute, constants.W_OK);
    } catch (error) {
      fail(`cannot be written (${codeOf(error)})`);
    }
    // A FIFO nobody reads would block the write for ever: open it without blocking to see a reader.
    if (existing.isFIFO()) {
      try {
        closeSync(openSync(absolute, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch (error) {
        fail(`is a named pipe that no process reads (${codeOf(error)})`);
      }
    }
    return;
  }
  makeParents(path.dirname(absolute), fail);
  // Create and remove the file itself: the only honest test of a place like /proc or /sys, where
  // directories look writable and refuse new files.
  try {
    closeSync(openSync(absolute, 'wx'));
    unlinkSync(absolute);
  } catch (error) {
    fail(`cannot be created (${codeOf(error)})`);
  }
}

/** `mkdir -p`, one level at a time, with every failure (ENOENT included) final. */
function makeParents(directory: string, fail: (problem: string) => never): void {
  const missing: string[] = [];
  let current = directory;
  let stats = statOf(current);
  while (stats === undefined && path.dirname(current) !== current) {
    missing.unshift(current);
    current = path.dirname(current);
    stats = statOf(current);
  }
  if (stats !== undefined && !stats.isDirectory()) fail(`${current} is not a directory`);
  for (const created of missing) {
    try {
      mkdirSync(created);
    } catch (error) {
      fail(`cannot create the directory ${created} (${codeOf(error)})`);
    }
  }
}

function statOf(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** Writes one output, creating its missing parents; a file that cannot be written throws UsageError. */
export function writeOutput(file: string | undefined, content: string): void {
  if (file === undefined) {
    process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    return;
  }
  makeParents(path.dirname(path.resolve(file)), (problem) => {
    throw new UsageError(`cannot write ${file}: ${problem}`);
  });
  try {
    writeFileSync(file, content.endsWith('\n') ? content : `${content}\n`);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function useColor(option: boolean | undefined): boolean {
  if (option === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}
