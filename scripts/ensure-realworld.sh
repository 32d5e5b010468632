#!/usr/bin/env bash
# The real-world corpus test (test/node/realworld.test.ts) deploys popular npm packages, installed from the
# registry with test/realworld's own lockfile. Installs them when node_modules is missing or was installed from
# another lockfile (a stamp of the lockfile's hash is kept in node_modules); otherwise does nothing.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../test/realworld" && pwd)"
stamp="$dir/node_modules/.installed-from-lockfile"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
echo "installing the real-world corpus (test/realworld) from its lockfile"
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
