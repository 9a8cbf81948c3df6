#!/usr/bin/env bash
# Starts Chromium ($EGRET_CHROMIUM, else /usr/bin/chromium) with every --disable-features it is given merged into one.
# Chromium honours only the last --disable-features on its command line, and Playwright passes a list of its own
# first: a second flag would silently switch Playwright's back on. See CHROMIUM_ARGS in ./chromium.ts for ours.
set -euo pipefail
args=()
disabled=()
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) disabled+=("${arg#--disable-features=}") ;;
    *) args+=("$arg") ;;
  esac
done
if [ ${#disabled[@]} -gt 0 ]; then
  joined=$(IFS=,; echo "${disabled[*]}")
  args+=("--disable-features=$joined")
fi
exec "${EGRET_CHROMIUM:-/usr/bin/chromium}" "${args[@]}"
