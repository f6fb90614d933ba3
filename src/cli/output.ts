import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

export interface OutputTarget<F extends string> {
  format: F;
  /** Absent: standard output. */
  file?: string;
}

function splitList(values: string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
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
  const plan: OutputTarget<F>[] = formats.map((format, index) => ({ format: format as F, ...(files[index] && files[index] !== '-' ? { file: files[index] } : {}) }));
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

export function writeOutput(file: string | undefined, content: string): void {
  if (file === undefined) {
    process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    return;
  }
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, content.endsWith('\n') ? content : `${content}\n`);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

export function useColor(option: boolean | undefined): boolean {
  if (option === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}
