#!/usr/bin/env bash
# The browser suite's system tools (tests/browser): Debian's Chromium and configurable-http-proxy
# from npm. Installs only what is missing; uses sudo when not root. The suite fails with a clear
# message, never skips, when either is absent.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v configurable-http-proxy >/dev/null 2>&1 || as_root npm install -g --silent configurable-http-proxy >/dev/null
echo "browser tools: $(chromium --version 2>/dev/null | head -1); configurable-http-proxy $(configurable-http-proxy --version)"
