#!/usr/bin/env bash
# The studio's browser tests drive a Chromium the machine has through playwright-core, which never downloads a
# browser of its own (test/node/support/browser.ts finds it: PULSE_CHROMIUM, else chromium, chromium-browser,
# google-chrome on PATH, else the macOS app). When there is none, this installs Debian's, but only where it can:
# as root or with password-less sudo, with apt-get. Otherwise, or if the install fails, it says so and the
# browser tests are reported as skipped with that reason; it never stops `npm test`.
set -uo pipefail
[ -n "${PULSE_CHROMIUM:-}" ] && exit 0
for command in chromium chromium-browser google-chrome google-chrome-stable; do
  command -v "$command" >/dev/null && exit 0
done
[ "$(uname)" = Darwin ] && exit 0 # browser.ts also looks in /Applications; there is no apt-get to try

skip() {
  echo "no Chromium: $1; the studio's browser tests will be skipped (set PULSE_CHROMIUM to a Chromium to run them)" >&2
  exit 0
}
command -v apt-get >/dev/null || skip "apt-get is not available to install Debian's"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  skip "installing Debian's needs root (or password-less sudo)"
fi
echo "installing Debian's chromium for the studio's browser tests"
"${as_root[@]}" apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
  skip "apt-get could not install chromium"
