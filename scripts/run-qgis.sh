#!/usr/bin/env bash
# Start the QGIS desktop with Sentinel Mirror loaded straight from this checkout (edit, then Plugin Reloader or
# restart), in a throwaway profile where the plugin is already enabled. Your own QGIS profile is not touched.
#   scripts/run-qgis.sh [qgis arguments, e.g. a project file]        (make run QGIS_ARGS=...)
#   KEEP_PROFILE=1 scripts/run-qgis.sh     keep the profile folder afterwards (its path is printed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v qgis >/dev/null || { echo "qgis is not installed: run 'make setup' first" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: run this from a desktop session (or: xvfb-run -a $0)" >&2; exit 1
fi
mkdir -p "$root/.test-home"
scratch=$(mktemp -d "$root/.test-home/run-qgis.XXXXXX")
if [ "${KEEP_PROFILE:-0}" = 1 ]; then echo "profile kept in $scratch"; else trap 'rm -rf "$scratch"' EXIT; fi
# QGIS loads plugins by folder name: it must be sentinel_mirror
mkdir -p "$scratch/plugins" "$scratch/profiles/profiles/default/QGIS"
ln -s "$root" "$scratch/plugins/sentinel_mirror"
printf '[PythonPlugins]\nsentinel_mirror=true\n' > "$scratch/profiles/profiles/default/QGIS/QGIS3.ini"
unset QT_QPA_PLATFORM QGIS_CUSTOM_CONFIG_PATH
echo "QGIS with the plugin from $root (profile: $scratch/profiles)"
QGIS_PLUGINPATH="$scratch/plugins${QGIS_PLUGINPATH:+:$QGIS_PLUGINPATH}" \
  qgis --noversioncheck --profiles-path "$scratch/profiles" "$@"
