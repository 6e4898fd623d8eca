#!/usr/bin/env bash
# First step of `npm test`: make sure what the suite needs is on this machine.
# Missing Debian packages are installed when running as root; otherwise it stops at once
# and prints the command to run. The database and Redis must already be running.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

missing=()
{ command -v redis-server && command -v redis-cli; } >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || missing+=(nginx)
# The storefront's browser tests drive Debian's Chromium (never a browser download of Playwright's).
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v unshare >/dev/null || missing+=(util-linux)
# Renders k8s/ (kubectl kustomize); any kubectl does, Debian's is the oldest that must.
command -v "${KUBECTL_BIN:-kubectl}" >/dev/null || missing+=(kubernetes-client)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "The test suite needs: ${missing[*]}. Install them, then run npm test again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The packages may start a system nginx on port 80 and a Redis; the tests start their own.
  if [[ " ${missing[*]} " == *" nginx "* ]]; then service nginx stop >/dev/null 2>&1 || true; fi
fi

# The deployment test gives `nginx -t` its own /etc/hosts in a private mount namespace.
if [ "$(id -u)" -ne 0 ] && ! unshare --map-root-user --mount true 2>/dev/null; then
  echo "The deployment test needs root or unprivileged user namespaces (for unshare --mount)." >&2
  exit 1
fi

node test/scripts/services-up.js
