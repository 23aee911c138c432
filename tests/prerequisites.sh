#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, from Debian's packages, when it is missing:
# sqlite3 (baselines), PostgreSQL's binaries (the tests start throwaway servers themselves), Chromium (the web UI
# is tested headless; Playwright drives /usr/bin/chromium and never downloads a browser), openpyxl (reports are read
# back by an independent reader), CJK fonts (so screenshots render Chinese) and npm (to fetch axe-core, below).
# Called by .ci/run and, through tests/Directory.Build.targets, by every test project's build, so the README's
# `dotnet test` works on a fresh machine as written. Quick when everything is there; serialised by a lock because
# test projects build in parallel.
set -uo pipefail

exec 9>"${TMPDIR:-/tmp}/datapool-test-prerequisites.lock"
command -v flock >/dev/null && flock 9

missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v runuser >/dev/null || missing+=(util-linux)
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c "import openpyxl" >/dev/null 2>&1 || missing+=(python3-openpyxl)
ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# axe-core, the accessibility checker the web UI tests inject into each page (never served to users): fetched once
# with npm into a cache the tests read (tests/DataPool.WebUi.Tests/Support/AxeCore.cs names the same place), after
# apt-get has installed npm if it was missing; the tests fail by name when it could not be fetched.
fetch_axe_core() {
  local version=4.14.1 dir tmp
  dir="${DATAPOOL_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/datapool-tests}/axe-core-$version"
  [ -s "$dir/axe.min.js" ] && return 0
  command -v npm >/dev/null || { echo "test prerequisites: npm is missing; the accessibility tests need axe-core from it" >&2; return 0; }
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack "axe-core@$version" --silent >/dev/null 2>&1) \
     && tar -xzf "$tmp/axe-core-$version.tgz" -C "$tmp" package/axe.min.js; then
    mkdir -p "$dir" && mv "$tmp/package/axe.min.js" "$dir/axe.min.js"
  else
    echo "test prerequisites: npm could not fetch axe-core@$version; the accessibility tests will fail" >&2
  fi
  rm -rf "$tmp"
}
trap fetch_axe_core EXIT
command -v npm >/dev/null || missing+=(npm)

[ ${#missing[@]} -eq 0 ] && exit 0

echo "test prerequisites: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "test prerequisites: not root and no password-less sudo; install them yourself: apt-get install ${missing[*]}" >&2
  exit 0  # the tests that need them fail with their own message
fi
"${as_root[@]}" apt-get update -qq >&2 \
  && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null \
  || { echo "test prerequisites: apt-get could not install ${missing[*]}" >&2; exit 0; }
