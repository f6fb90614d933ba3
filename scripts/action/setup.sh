#!/usr/bin/env bash
# Step 1 of action.yml: find or make the CLI, and hand its path to the check step (output "cli").
set -euo pipefail
: "${ACTION_PATH:?}" "${GITHUB_OUTPUT:?}"
if [ -n "${MCP_PREFLIGHT_VERSION:-}" ]; then
  prefix="${RUNNER_TEMP:-/tmp}/mcp-preflight-${MCP_PREFLIGHT_VERSION}"
  npm install --prefix "$prefix" --no-audit --no-fund --silent "mcp-preflight@${MCP_PREFLIGHT_VERSION}"
  cli="$prefix/node_modules/mcp-preflight/bin/mcp-preflight.js"
elif [ -f "$ACTION_PATH/dist/cli/main.js" ]; then
  cli="$ACTION_PATH/bin/mcp-preflight.js"
else
  # The action's own checkout, unbuilt (uses: mcp-preflight/mcp-preflight@<ref>).
  (cd "$ACTION_PATH" && npm ci --no-audit --no-fund --silent && npm run build --silent)
  cli="$ACTION_PATH/bin/mcp-preflight.js"
fi
echo "mcp-preflight $(node "$cli" --version) at $cli"
echo "cli=$cli" >> "$GITHUB_OUTPUT"
