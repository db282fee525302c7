#!/usr/bin/env bash
# Command 2 of the README (and what .ci/run calls): install what the tests need, then run them all:
# type check, lint, prettier, every jest suite (stores on PostgreSQL 15 and SQLite, SLOs on a
# real Prometheus), and the end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
source scripts/env.sh

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# Browser for the end-to-end test (Playwright drives Debian's Chromium; it never downloads one).
[ -x /usr/bin/chromium ] || { echo "==> Installing chromium"; apt_install chromium; }

# Prometheus and promtool for the SLO tests: each test backfills generated data and starts its
# own server on 127.0.0.1 (the machine's package; no service is started).
command -v promtool >/dev/null && command -v prometheus >/dev/null || {
  echo "==> Installing prometheus"
  apt_install --no-install-recommends prometheus
}

# PostgreSQL 15 on 127.0.0.1:5432 with trust auth, for the store and migration tests.
command -v pg_ctlcluster >/dev/null || { echo "==> Installing postgresql"; apt_install postgresql; }
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "==> Starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# Redis on 127.0.0.1:6379 for the two-replica test (the backends' shared cache; keeps nothing on disk).
command -v redis-server >/dev/null || { echo "==> Installing redis"; apt_install redis-server; }
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "==> Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --logfile "${TMPDIR:-/tmp}/tem-redis.log"
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export CI=true

echo "==> Node $(node --version), Yarn $(yarn --version)"
t=$SECONDS; yarn install --immutable; echo "==> install: $((SECONDS - t)) s"
# High and critical advisories in production dependencies (says so when the registry has none).
t=$SECONDS; bash scripts/audit.sh; echo "==> audit: $((SECONDS - t)) s"
t=$SECONDS; node plugins/environments-backend/scripts/generate-openapi.mjs --check; yarn tsc; echo "==> generated API types and tsc: $((SECONDS - t)) s"
t=$SECONDS; yarn lint:all; echo "==> lint: $((SECONDS - t)) s"
t=$SECONDS; yarn prettier:check; echo "==> prettier: $((SECONDS - t)) s"
t=$SECONDS; yarn test; echo "==> jest: $((SECONDS - t)) s"
t=$SECONDS; yarn test:e2e; echo "==> e2e: $((SECONDS - t)) s"
# The benchmark's quick mode proves the harness works; its numbers set no threshold here.
t=$SECONDS; yarn bench --quick >/dev/null; echo "==> bench --quick: $((SECONDS - t)) s"
echo "==> all checks passed in $((SECONDS - started)) s"
