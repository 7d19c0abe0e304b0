#!/usr/bin/env bash
# Installs the Debian packages listed in tests/debian-packages.txt that are missing, so that the README's test
# command, `dotnet test BeaconEngine.sln`, works on a fresh Debian machine. tests/Directory.Build.targets runs it
# before the tests of each test project; it returns at once when everything is installed.
#
# Set BEACONENGINE_SKIP_PACKAGE_INSTALL=1 to skip it (the tests that need a missing tool then fail, saying which).
set -euo pipefail

list="$(dirname "$0")/debian-packages.txt"

if [ "${BEACONENGINE_SKIP_PACKAGE_INSTALL:-}" = "1" ]; then
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-debian-packages: not a Debian machine; install the packages in $list yourself." >&2
  exit 0
fi

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    # A command of the package's name already on PATH counts (npm comes inside NodeSource's nodejs package).
    if [ "$p" = "npm" ] && command -v npm >/dev/null 2>&1; then
      continue
    fi
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != "installed" ]; then
      echo "$p"
    fi
  done
}

missing=$(missing_packages)
[ -z "$missing" ] && exit 0

# Several test projects build in parallel: one installs, the others wait and then find nothing missing.
exec 9>"${TMPDIR:-/tmp}/beaconengine-debian-packages.lock"
command -v flock >/dev/null 2>&1 && flock 9
missing=$(missing_packages)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-debian-packages: missing $(echo $missing), and sudo is not available. As root, run: apt-get install $(echo $missing)" >&2
  exit 1
fi

echo "install-debian-packages: installing what the tests need: $(echo $missing)"
"${sudo[@]}" apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-debian-packages: done"
