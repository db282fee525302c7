#!/usr/bin/env bash
# Known vulnerabilities of high or critical severity in the production dependencies of every
# workspace, transitive ones included; fails when there are any (exceptions are listed in the
# README with the reason). It asks the npm registry's advisory database; a registry that offers
# none (a mirror that refuses the audit request) is reported as such, never as a clean audit.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

report=$(mktemp)
trap 'rm -f "$report"' EXIT
yarn npm audit --all --recursive --environment production --severity high >"$report" 2>&1
status=$?
if [ $status -ne 0 ] && grep -Eq '(Response Code|Response code):? (404|405|501)' "$report"; then
  echo "==> audit: NOT RUN: the configured npm registry offers no advisory database"
  grep -m1 -oE 'Response [Cc]ode:? [0-9]+ \([A-Za-z ]+\)' "$report"
  exit 0
fi
cat "$report"
exit $status
