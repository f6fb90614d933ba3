#!/usr/bin/env bash
# Step 2 of action.yml: run check with the inputs (INPUT_* variables), write the SARIF, the job
# summary and the annotations, set the outputs, and exit with check's exit code.
set -uo pipefail
# Inputs are split on whitespace below; never expanded as file globs.
set -f
: "${MCP_PREFLIGHT_CLI:?}" "${GITHUB_OUTPUT:?}"

args=(check)
# Unset inputs pass no flag, so the config's own gate and settings stand.
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
for target in ${INPUT_TARGET:-}; do args+=(--target "$target"); done
[ -n "${INPUT_STDIO:-}" ] && args+=(--stdio "$INPUT_STDIO")
[ -n "${INPUT_URL:-}" ] && args+=(--url "$INPUT_URL")
[ -n "${INPUT_MAX_WARNINGS:-}" ] && args+=(--max-warnings "$INPUT_MAX_WARNINGS")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_LOCKFILE:-}" ] && args+=(--lockfile "$INPUT_LOCKFILE")
[ "${INPUT_EXIT_ZERO:-false}" = "true" ] && args+=(--exit-zero)
# shellcheck disable=SC2206 # split on whitespace, as the input's description says
extra=(${INPUT_ARGS:-})
args+=("${extra[@]}")

temp="${RUNNER_TEMP:-/tmp}"
annotations="$temp/mcp-preflight-annotations-$$.txt"
# The Markdown report is kept (output "markdown", e.g. for a pull-request comment) and appended to the job summary.
markdown_file="$temp/mcp-preflight-$$.md"
formats=()
outputs=()
sarif="" json="" junit="" markdown=""
IFS=',' read -ra wanted <<< "${INPUT_FORMATS:-sarif,markdown,github}"
for format in "${wanted[@]}"; do
  format="${format// /}"
  case "$format" in
    sarif) sarif="${INPUT_SARIF:-mcp-preflight.sarif}"; file="$sarif" ;;
    markdown) markdown="$markdown_file"; file="$markdown" ;;
    github) file="$annotations" ;;
    json) json="mcp-preflight.json"; file="$json" ;;
    junit) junit="mcp-preflight.junit.xml"; file="$junit" ;;
    "") continue ;;
    *) echo "::error title=mcp-preflight action::formats: unknown format \"$format\"; use sarif, markdown, github, json, junit"; exit 2 ;;
  esac
  case "$file" in *,*) echo "::error title=mcp-preflight action::$format: the path \"$file\" contains a comma; choose another"; exit 2 ;; esac
  formats+=("$format")
  outputs+=("$file")
done
if [ "${#formats[@]}" -gt 0 ]; then
  args+=(--format "$(IFS=,; echo "${formats[*]}")" --output "$(IFS=,; echo "${outputs[*]}")")
fi

# The text report carries server-controlled text: the runner must not read workflow commands in it.
token="$(node -e 'process.stdout.write(require("node:crypto").randomUUID())')"
echo "::stop-commands::$token"
node "$MCP_PREFLIGHT_CLI" "${args[@]}"
code=$?
echo "::$token::"
if [ -n "$markdown" ] && [ -f "$markdown" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$markdown" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -f "$annotations" ]; then
  cat "$annotations"
  rm -f "$annotations"
fi

# Outputs are absolute, so later steps find the files whatever working-directory was.
absolute() { case "$1" in "" | /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
sarif="$(absolute "$sarif")" json="$(absolute "$json")" junit="$(absolute "$junit")"
{
  echo "exit-code=$code"
  echo "sarif=$sarif"
  echo "json=$json"
  echo "junit=$junit"
  echo "markdown=$markdown"
} >> "$GITHUB_OUTPUT"
exit "$code"
