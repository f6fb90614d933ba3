#!/usr/bin/env bash
# Any CI (Jenkins, Buildkite, CircleCI, a Makefile): one step, the exit code is the verdict.
#   0 passed · 1 gate failed · 2 usage or configuration error · 3 a target could not be scanned
set -uo pipefail
npx --yes mcp-preflight check --config mcp-preflight.yaml \
  --format sarif,junit,json --output mcp-preflight.sarif,mcp-preflight.junit.xml,mcp-preflight.json
code=$?
# Report-only while adopting: add --exit-zero (exit 1 becomes 0; exit 2 and 3 still fail the step).
exit "$code"
