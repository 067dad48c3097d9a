#!/usr/bin/env bash
# The QGIS test matrix: the whole suite (`make test`) inside Debian roots that ship newer QGIS releases than
# this machine's Debian 12 (QGIS 3.22): trixie (Debian 13, the 3.40 LTR) and sid (3.44).
#   scripts/matrix.sh                every root, one after the other; exit 1 if any failed
#   scripts/matrix.sh sid            one root (PYTEST_ARGS passes through to make test)
#   scripts/matrix.sh --shell sid    an interactive shell inside a root (/src is this checkout)
#   MATRIX_TARGET=bench-dock scripts/matrix.sh sid   another make target in the root (BENCH_ARGS passes through):
#                                    the dock benchmark on QGIS 3.44's desktop
# Roots are made once with debootstrap from this machine's own Debian mirror and keyring (read from its apt
# configuration), then `make setup` inside installs QGIS and the test tools exactly as on a developer machine
# (.venv as /opt/venv: --system-site-packages on the root's python + requirements-dev.txt). They are cached in
# MATRIX_CACHE (default /var/cache/sentinel-mirror-matrix: outside the clone, so a fresh CI clone reuses them;
# `MATRIX_CACHE=.matrix` keeps them in the ignored folder of the checkout). MATRIX_REBUILD=1 starts over.
# Every mount lives in a private mount and PID namespace (unshare): whatever happens, nothing stays mounted
# and no process (Xvfb, QGIS) outlives the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=MATRIX_CACHE,MATRIX_REBUILD,MATRIX_TARGET,PYTEST_ARGS,BENCH_ARGS "$0" "$@"; fi
CACHE=${MATRIX_CACHE:-/var/cache/sentinel-mirror-matrix}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
SHELL_IN=
if [ "${1:-}" = --shell ]; then SHELL_IN=1; shift; fi
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(trixie sid)

# The URI and keyring of the apt source that serves this machine's own release (deb822 or one-line format).
read -r MIRROR KEYRING < <(/usr/bin/python3 - <<'EOF'
import glob, re
codename = dict(l.strip().split("=", 1) for l in open("/etc/os-release") if "=" in l).get("VERSION_CODENAME", "")
default_key = "/usr/share/keyrings/debian-archive-keyring.gpg"
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(path).read()):
        f = dict(m.groups() for m in re.finditer(r"^([\w-]+):\s*(.*)$", stanza, re.M))
        if "deb" in f.get("Types", "").split() and codename in f.get("Suites", "").split():
            print(f["URIs"].split()[0], f.get("Signed-By", default_key).split()[0])
            raise SystemExit
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        m = re.match(r"deb\s+(?:\[([^]]*)\]\s+)?(\S+)\s+(\S+)", line.strip())
        if m and m.group(3) == codename:
            key = re.search(r"signed-by=(\S+)", m.group(1) or "")
            print(m.group(2), key.group(1) if key else default_key)
            raise SystemExit
raise SystemExit(f"no apt source for {codename!r} in /etc/apt: the matrix needs a Debian machine")
EOF
)

in_root() {  # in_root ROOT COMMAND...: run COMMAND as root inside ROOT, with this checkout at /src
  local root=$1; shift
  unshare --mount --propagation private --pid --fork -- /bin/sh -ec '
    r=$1; src=$2; shift 2
    mount -t proc proc "$r/proc"
    mount -t sysfs sysfs "$r/sys"
    mount --bind /dev "$r/dev"
    mount --bind /dev/pts "$r/dev/pts"
    mount -t tmpfs -o mode=1777 tmpfs "$r/dev/shm"
    mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
    mkdir -p "$r/src"
    mount --bind "$src" "$r/src"
    # this machine'"'"'s name servers and trusted CAs (a proxy'"'"'s or company CA included) for apt and pip
    cp /etc/resolv.conf "$r/etc/resolv.conf"
    cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/ca-certificates.crt"
    exec chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"' sh "$root" "$PWD" "$@"
}

build_root() {  # build_root SUITE: debootstrap once; `make setup` (quick when nothing changed) every time
  local suite=$1 root=$CACHE/$1
  if [ "${MATRIX_REBUILD:-0}" = 1 ]; then rm -rf "$root"; fi
  if [ ! -e "$root/.sentinel-mirror-root" ]; then
    echo "matrix: debootstrap $suite from $MIRROR"
    rm -rf "$root.tmp"
    debootstrap --variant=minbase --include=make,ca-certificates --keyring="$KEYRING" \
      "$suite" "$root.tmp" "$MIRROR" > "$CACHE/$suite-debootstrap.log" 2>&1 \
      || { tail -n 20 "$CACHE/$suite-debootstrap.log"; return 1; }
    # The mirror may serve a frozen snapshot: sid's Release is only "valid" for a week after it was signed.
    # Signatures are still checked against the keyring.
    echo 'Acquire::Check-Valid-Until "false";' > "$root.tmp/etc/apt/apt.conf.d/99sentinel-mirror-matrix"
    touch "$root.tmp/.sentinel-mirror-root"
    mv "$root.tmp" "$root"
  fi
  in_root "$root" make -C /src --no-print-directory setup VENV=/opt/venv
}

versions() {
  in_root "$CACHE/$1" /opt/venv/bin/python - <<'EOF'
import sys, urllib3
from osgeo import gdal
from qgis.core import Qgis
print(f"QGIS {Qgis.QGIS_VERSION.split('-')[0]}, GDAL {gdal.__version__}, Python {sys.version.split()[0]}, "
      f"urllib3 {urllib3.__version__}")
EOF
}

if [ -n "$SHELL_IN" ]; then
  exec 9>"$CACHE/${SUITES[0]}.lock"; flock 9
  build_root "${SUITES[0]}"
  in_root "$CACHE/${SUITES[0]}" /bin/bash -c 'cd /src && exec bash -i'
  exit
fi

summary=() status=0
for suite in "${SUITES[@]}"; do
  start=$SECONDS
  (
    exec 9>"$CACHE/$suite.lock"; flock 9   # one run per root at a time (CI and developers share the cache)
    build_root "$suite"
    echo "matrix: $suite: $(versions "$suite")"
    # Scratch and venv of their own: the host's .test-home and .venv (QGIS 3.22) stay untouched.
    in_root "$CACHE/$suite" env SCRATCH=/src/.test-home/matrix-"$suite" \
      make -C /src --no-print-directory "${MATRIX_TARGET:-test}" VENV=/opt/venv PYTEST_ARGS="${PYTEST_ARGS:-}" \
      BENCH_ARGS="${BENCH_ARGS:-}"
  ) && result=passed || { result=FAILED; status=1; }
  summary+=("$suite ($(versions "$suite" 2>/dev/null || echo "no root")): $result in $((SECONDS - start)) s")
done
echo "matrix summary:"
printf '  %s\n' "${summary[@]}"
exit $status
