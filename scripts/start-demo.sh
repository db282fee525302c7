#!/usr/bin/env bash
# The portal as `yarn dev` starts it, plus local servers with generated demo data so every panel
# is filled: Prometheus with 31 days of metrics (127.0.0.1:9090) for the SLOs, and fake GitHub,
# GitLab and Jenkins APIs (127.0.0.1:7011) for pipelines and deployments. app-config.demo.yaml
# points the portal at them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

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
node_ts=(node --experimental-strip-types --disable-warning=MODULE_TYPELESS_PACKAGE_JSON)
"${node_ts[@]}" plugins/environments-backend-module-prometheus/scripts/prometheus-demo.mjs 9090 &
prometheus_pid=$!
"${node_ts[@]}" scripts/fake-ci-server.mjs 7011 &
fake_ci_pid=$!
trap 'kill "$prometheus_pid" "$fake_ci_pid" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fs http://127.0.0.1:9090/-/ready >/dev/null 2>&1 &&
    curl -fs http://127.0.0.1:7011/ready >/dev/null 2>&1 && break
  kill -0 "$prometheus_pid" "$fake_ci_pid" 2>/dev/null || { echo "A demo server did not start" >&2; exit 1; }
  sleep 1
done

# Absolute paths: the frontend and backend each resolve config paths from their own package.
yarn start --config "$PWD/app-config.yaml" --config "$PWD/app-config.demo.yaml"
