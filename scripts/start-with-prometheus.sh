#!/usr/bin/env bash
# The portal as `yarn dev` starts it, plus a local Prometheus serving 31 days of generated demo
# metrics (ending now) on 127.0.0.1:9090, so the SLOs tabs show real numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port="${PROMETHEUS_PORT:-9090}"

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  echo "==> Installing Debian's prometheus package (prometheus and promtool)"
  if [ "$(id -u)" = 0 ]; then as_root=(); else as_root=(sudo); fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

echo "==> Node $(node --version), Yarn $(yarn --version)"
yarn install
mkdir -p .data/sqlite

# Type stripping runs the TypeScript test utilities directly (on by default from Node 22.18).
node --experimental-strip-types --disable-warning=MODULE_TYPELESS_PACKAGE_JSON \
  plugins/environments-backend-module-prometheus/scripts/prometheus-demo.mjs "$port" &
prometheus_pid=$!
trap 'kill "$prometheus_pid" 2>/dev/null || true; wait "$prometheus_pid" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break
  kill -0 "$prometheus_pid" 2>/dev/null || { echo "Prometheus did not start" >&2; exit 1; }
  sleep 1
done

APP_CONFIG_environments_prometheus_baseUrl="http://127.0.0.1:$port" yarn start
