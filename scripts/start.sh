#!/usr/bin/env bash
# Command 1 of the README: install everything and start the portal
# (frontend on http://localhost:3000, backend on http://localhost:7007) on SQLite with the demo catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
echo "==> Node $(node --version), Yarn $(yarn --version)"
yarn install
mkdir -p .data/sqlite
exec yarn start
