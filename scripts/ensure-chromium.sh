#!/usr/bin/env bash
# The studio's browser test drives Debian's Chromium through playwright-core, which never downloads a browser
# of its own. Installs it from Debian's packages when it is missing (as root, or through sudo).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "installing Debian's chromium for the studio's browser test"
as_root=$([ "$(id -u)" -eq 0 ] || echo sudo)
if ! { $as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
  echo "could not install chromium: run 'apt-get install chromium' as root, then npm test again" >&2
  exit 1
fi
