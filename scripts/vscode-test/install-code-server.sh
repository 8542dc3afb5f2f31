#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench served to a browser) into .vscode-test/code-server/,
# outside the project's node_modules, for the in-editor tests. Idempotent: a finished install of the
# pinned version is left alone. Needs only the npm registry and, for the native modules, a C++
# toolchain, Python 3, libkrb5-dev and Node's headers (apt packages; see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$PWD/.vscode-test/code-server"
CS="$ROOT/node_modules/code-server"
STAMP="$ROOT/.installed-$VERSION"

if [ -f "$STAMP" ] && [ -f "$CS/out/node/entry.js" ]; then
  echo "code-server $VERSION already installed in $ROOT"
  exit 0
fi

# Node's headers for node-gyp: the registry's header tarball cannot be downloaded in CI, so use
# the ones installed next to this node (Debian and NodeSource packages put them in /usr/include/node).
NODEDIR="${NODEDIR:-$(dirname "$(dirname "$(command -v node)")")}"
if [ ! -f "$NODEDIR/include/node/node.h" ]; then
  echo "Node headers not found under $NODEDIR/include/node; set NODEDIR" >&2
  exit 1
fi
NODE_GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$NODE_GYP" ] || { echo "node-gyp (bundled with npm) not found at $NODE_GYP" >&2; exit 1; }

rm -rf "$ROOT"
mkdir -p "$ROOT"
echo '{ "name": "layerwise-vscode-test-code-server", "private": true }' > "$ROOT/package.json"

npm_quiet=(--no-audit --no-fund --loglevel=error --ignore-scripts)
echo "Installing code-server@$VERSION ..."
(cd "$ROOT" && npm install "${npm_quiet[@]}" "code-server@$VERSION")
# code-server's postinstall would do these: VS Code's own runtime dependencies and the built-in extensions'.
(cd "$CS/lib/vscode" && npm install "${npm_quiet[@]}" --omit=dev)
(cd "$CS/lib/vscode/extensions" && npm install "${npm_quiet[@]}" --omit=dev)

# Runs a build step in a folder; its (long) log is shown only when it fails.
quietly() {
  local dir="$1" out
  shift
  if ! out="$(cd "$dir" && "$@" 2>&1)"; then
    echo "$out" >&2
    echo "failed in $dir: $*" >&2
    return 1
  fi
}

# Dependency install scripts were skipped, so build the native modules explicitly.
rebuild() {
  local dir="$1"
  if [ ! -f "$dir/binding.gyp" ]; then
    echo "skip $dir (no binding.gyp)"
    return
  fi
  echo "node-gyp rebuild in ${dir#$ROOT/}"
  quietly "$dir" node "$NODE_GYP" rebuild --nodedir="$NODEDIR" --jobs="$(nproc)"
}
VSN="$CS/lib/vscode/node_modules"
for m in kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid; do
  if [ -d "$VSN/$m" ]; then rebuild "$VSN/$m"; else echo "skip $m (not a dependency of this version)"; fi
done
# argon2 (password auth; loaded at start-up even with --auth none) is built through node-pre-gyp,
# which puts the binding where the package looks for it.
for dir in "$CS/node_modules/argon2" "$ROOT/node_modules/argon2"; do
  [ -d "$dir" ] || continue
  echo "node-pre-gyp rebuild in ${dir#$ROOT/}"
  pre_gyp="$(cd "$dir" && node -p 'require.resolve("@mapbox/node-pre-gyp/bin/node-pre-gyp")')"
  npm_config_node_gyp="$NODE_GYP" quietly "$dir" node "$pre_gyp" rebuild --build-from-source --nodedir="$NODEDIR"
  (cd "$dir" && node -e 'require("./argon2.js")') || { echo "argon2 does not load after the rebuild" >&2; exit 1; }
done

# Search uses ripgrep; the npm package would download its binary, so use Debian's.
RG="$(command -v rg || true)"
if [ -z "$RG" ]; then echo "ripgrep (rg) is not installed" >&2; exit 1; fi
mkdir -p "$VSN/@vscode/ripgrep/bin"
ln -sf "$RG" "$VSN/@vscode/ripgrep/bin/rg"
# The server looks for node_modules.asar first (as in the desktop build); point it at the folder.
ln -sfn node_modules "$CS/lib/vscode/node_modules.asar"

touch "$STAMP"
echo "code-server $VERSION installed in $ROOT"
