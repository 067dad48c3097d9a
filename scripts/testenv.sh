#!/usr/bin/env bash
# Run a command with the test environment: QGIS/Qt/GDAL write under .test-home, never $HOME or /tmp.
#   scripts/testenv.sh .venv/bin/python -m pytest tests/qgis/test_plugin.py
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
S=${SCRATCH:-$root/.test-home}
mkdir -p -m 700 "$S/run" "$S/tmp" "$S/config" "$S/cache" "$S/data" "$S/qgis"
export XDG_CONFIG_HOME=$S/config XDG_CACHE_HOME=$S/cache XDG_DATA_HOME=$S/data XDG_RUNTIME_DIR=$S/run \
       QGIS_CUSTOM_CONFIG_PATH=$S/qgis TMPDIR=$S/tmp GDAL_PAM_ENABLED=NO PYTHONDONTWRITEBYTECODE=1
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# pyproj inside a venv does not find the system's PROJ data on every release (Debian 13's does not; EODAG's
# geometry conversions need it): the same directory libproj, GDAL and QGIS read
if [ -z "${PROJ_DATA:-}" ] && [ -d /usr/share/proj ]; then export PROJ_DATA=/usr/share/proj; fi
exec "$@"
