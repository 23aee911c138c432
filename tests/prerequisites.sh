#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, from Debian's packages, when it is missing:
# sqlite3 (baselines), PostgreSQL's binaries (the tests start throwaway servers themselves), Chromium (the web UI
# is tested headless; Playwright drives /usr/bin/chromium and never downloads a browser), openpyxl (reports are read
# back by an independent reader) and CJK fonts (so screenshots render Chinese).
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
