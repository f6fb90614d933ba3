/**
 * Splits an identifier or a title into lower-case words: `runShellCommand`, `run_shell_command`,
 * `run-shell-command`, `RunShellCMD` and "Run shell command" all give run, shell, command.
 */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** `shellCommand` / `shell-command` → `shell_command`, for comparing names against a list. */
export function snakeName(text: string): string {
  return splitWords(text).join('_');
}
