#!/usr/bin/env bash
# The Debian packages the tests need from the system (the offline VS Code test host, the sandboxes), checked before
# `npm test`, `npm start` and by .ci/run (one list, here). Installs only what is missing, and only when it can (root
# with apt-get); otherwise it stops with the exact command to run.
#   chromium     drives the VS Code web workbench (playwright-core launches /usr/bin/chromium)
#   ripgrep      VS Code's search; the npm package would download its own copy, which fails offline
#   libkrb5-dev  gssapi.h, to build the server's kerberos module
#   bubblewrap   isolates the local sandbox's commands (src/core/run/local.ts)
#   sudo         the fake Daytona sandbox's daytona user makes /app with it, as in a real sandbox
#   python3-venv the venv module the end-to-end tests install hermes-agent (from PyPI) with
set -euo pipefail

packages=(chromium ripgrep libkrb5-dev bubblewrap sudo python3-venv)
declare -A provides=(
  [chromium]=/usr/bin/chromium
  [ripgrep]=/usr/bin/rg
  [libkrb5-dev]=/usr/include/gssapi/gssapi.h
  [bubblewrap]=/usr/bin/bwrap
  [sudo]=/usr/bin/sudo
  [python3-venv]=/usr/lib/python3.11/ensurepip/__init__.py
)

missing() {
  local pkg
  for pkg in "${packages[@]}"; do
    [ -e "${provides[$pkg]}" ] || echo "$pkg"
  done
}

mapfile -t absent < <(missing)
[ "${#absent[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing missing Debian packages: ${absent[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${absent[@]}"
  mapfile -t absent < <(missing)
  [ "${#absent[@]}" -eq 0 ] && exit 0
  echo "apt-get did not provide: ${absent[*]}" >&2
fi

{
  echo "The tests need Debian packages that are missing here: ${absent[*]}"
  for pkg in "${absent[@]}"; do echo "  $pkg (no ${provides[$pkg]})"; done
  echo "Install them with:"
  echo "  sudo apt-get install -y ${packages[*]}"
} >&2
exit 1
