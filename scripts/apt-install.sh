#!/usr/bin/env bash
# Installs a Debian package when the command it provides is missing:
#   scripts/apt-install.sh COMMAND PACKAGE
# Quiet when the command is there already; uses sudo when not root; updates the package lists
# only when the first try fails (a fresh machine has none).
set -euo pipefail
command=$1 package=$2
command -v "$command" >/dev/null && exit 0
sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
echo "installing $package (apt) for $command" >&2
$sudo apt-get install -y -qq "$package" >/dev/null 2>&1 ||
  { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$package" >/dev/null; }
command -v "$command" >/dev/null || { echo "$package installed but $command is still missing" >&2; exit 1; }
