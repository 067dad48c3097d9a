#!/usr/bin/env bash
# Idempotent test-harness setup for Debian 12 / Ubuntu: QGIS (>= 3.22) + GDAL + pytest in a
# --system-site-packages venv. Quick (about a second) when everything is already there.
#   scripts/setup-harness.sh                 headless: bindings, Processing, pytest, Xvfb, Qt translation tools
#   WITH_DESKTOP=1 scripts/setup-harness.sh  + the QGIS desktop and qgis_process (desktop tests, make run)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PKGS=(python3-qgis qgis-providers python3-pytest python3-pytest-timeout python3-pytestqt
      python3-pip python3-venv xvfb xauth gdal-bin python3-gdal python3-numpy python3-requests
      python3-psutil zip unzip pyqt5-dev-tools qttools5-dev-tools)
# debootstrap: the QGIS matrix (scripts/matrix.sh) builds its Debian roots with it (not inside those roots)
[ -e /.sentinel-mirror-root ] || PKGS+=(debootstrap)
if [ "${WITH_DESKTOP:-0}" = 1 ]; then PKGS+=(qgis qgis-common imagemagick x11-apps); fi
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The venv sits on the *system* interpreter: the QGIS bindings are built for /usr/bin/python3.
REQ=requirements-dev.txt
stamp="$VENV/.requirements-dev.sha"
want=$(sha1sum "$REQ" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  echo "$want" > "$stamp"
fi
