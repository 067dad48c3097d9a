#!/usr/bin/env python3
"""The dock at the scale of the seed's job: main-thread stalls of the real QGIS desktop (Xvfb) driven like a user.

Against the mirror simulator (run here, in this process, so its threads never compete with QGIS's main thread
for the GIL): two tiles (31TCJ, 31TDJ), two years of Theia L2A, every product online (~290 products):
  search         an extent search over both tiles, two years (results, footprints, table, first quicklook);
  download-slow  all rows at SLOW bytes/s per connection (products take seconds: a long stream of updates);
  download-fast  all rows again, into a fresh folder, at FAST bytes/s (products finish in milliseconds: a burst),
                 with NDVI and the layers ticked;
  load           from the end of that download to the last layer on the map: NDVI and natural colour for
                 every date, grouped per tile and date, dated for the Temporal Controller.
A 10 ms main-thread heartbeat inside QGIS (bench/dock_driver.py) gives the longest stall of each phase.

With --compare REF the same run is made first with the plugin as it is at git REF (e.g. main, or the commit
before a change), so the figures are measured side by side on the same machine load. Last line:
`dock: max stall search = A ms, download = B ms, load = C ms (N products)` (this checkout).

    scripts/testenv.sh .venv/bin/python bench/bench_dock.py [--compare REF] [--slow 2e6] [--fast 20e6]
"""
import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.simulator import MirrorSimulator, SimConfig  # noqa: E402
from tests.simulator.catalogue import tile_lonlat_bbox  # noqa: E402

PLUGIN = "sentinel_mirror"
OUT = ROOT / "bench-output" / "dock"
TILES = ("31TCJ", "31TDJ")
START, END = dt.date(2024, 12, 1), dt.date(2026, 11, 30)
COLLECTION = "THEIA_REFLECTANCE_SENTINEL2_L2A"
INCLUDE = ("metadata.txt", "__init__.py", "LICENSE", "plugin", "ui", "resources")


def overlap_bbox():
    """A small lon/lat box inside both tiles, so an extent search returns the products of the two."""
    (w1, s1, e1, n1), _ = tile_lonlat_bbox(TILES[0])
    (w2, s2, e2, n2), _ = tile_lonlat_bbox(TILES[1])
    w, s, e, n = max(w1, w2), max(s1, s2), min(e1, e2), min(n1, n2)
    cx, cy = (w + e) / 2, (s + n) / 2
    return cx - 0.02, cy - 0.02, cx + 0.02, cy + 0.02


def install_plugin(plugins_dir, ref):
    """The plugin's files as in this checkout (ref None) or at git `ref`, as QGIS finds an installed plugin."""
    dest = plugins_dir / PLUGIN
    dest.mkdir(parents=True)
    if ref is None:
        from scripts.build_zip import plugin_files
        for rel in plugin_files(ROOT):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target)
        return
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, *INCLUDE],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def watch_control(sim, ctl, stop):
    """The driver asks for a per-connection rate by writing want-<bps>; we set it and answer ack-<bps>."""
    while not stop.is_set():
        for want in ctl.glob("want-*"):
            bps = float(want.read_text())
            sim.config.bandwidth_bps = bps
            want.unlink()
            (ctl / f"ack-{bps:.0f}").write_text("ok")
        time.sleep(0.05)


def run_qgis(label, ref, sim, args, scratch):
    home = scratch / label
    profile = home / "profiles" / "profiles" / "default"
    install_plugin(profile / "python" / "plugins", ref)
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(f"[PythonPlugins]\n{PLUGIN}=true\n", encoding="utf-8")
    ctl = home / "ctl"
    ctl.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_PLUGINPATH", "DISPLAY")}
    for name in ("config", "cache", "data", "tmp"):
        (home / name).mkdir()
    (home / "run").mkdir(mode=0o700)
    report = home / "report.json"
    env.update(sim.env())
    env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_DATA_HOME=str(home / "data"), XDG_RUNTIME_DIR=str(home / "run"), TMPDIR=str(home / "tmp"),
               GDAL_PAM_ENABLED="NO", SM_ROOT=str(ROOT), PYQGIS_STARTUP=str(ROOT / "tests" / "desktop" / "startup_hook.py"),
               SM_BENCH_REPORT=str(report), SM_BENCH_CTL=str(ctl), SM_BENCH_DOWNLOADS=str(home / "downloads"),
               SM_BENCH_START=START.isoformat(), SM_BENCH_END=END.isoformat(),
               SM_BENCH_BBOX=",".join(f"{v:.6f}" for v in overlap_bbox()),
               SM_BENCH_SLOW_BPS=str(args.slow), SM_BENCH_FAST_BPS=str(args.fast))
    stop = threading.Event()
    watcher = threading.Thread(target=watch_control, args=(sim, ctl, stop), daemon=True)
    watcher.start()
    sim.stats.reset()
    t0 = time.monotonic()
    with open(home / "qgis-stderr.log", "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
             "--profiles-path", str(home / "profiles"), "--code", str(ROOT / "bench" / "dock_driver.py")],
            env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
    stop.set()
    watcher.join()
    if not report.exists():
        tail = (home / "qgis-stderr.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{label}: QGIS exited {proc.returncode} without a report:\n{tail}")
    result = json.loads(report.read_text(encoding="utf-8"))
    result["wall_s"] = round(time.monotonic() - t0, 1)
    shutil.rmtree(home / "downloads", ignore_errors=True)   # ~2 x N MB of archives
    if "error" in result:
        raise SystemExit(f"{label}: {result['error']}")
    return result


def summary(result):
    phases = result["phases"]
    return (phases["search"]["max_ms"], max(phases["download-slow"]["max_ms"], phases["download-fast"]["max_ms"]),
            phases["load"]["max_ms"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", metavar="REF", help="also run the plugin as it is at this git ref, first")
    parser.add_argument("--slow", type=float, default=2e6, help="slow rate, bytes/s per connection (2e6)")
    parser.add_argument("--fast", type=float, default=20e6, help="fast rate, bytes/s per connection (20e6)")
    parser.add_argument("--size", type=int, default=1_000_000, help="archive size in bytes (padded; 1e6)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a QGIS run is killed")
    args = parser.parse_args()
    if not (shutil.which("xvfb-run") and shutil.which("qgis")):
        raise SystemExit("bench-dock needs xvfb-run and the QGIS desktop (make setup)")
    OUT.mkdir(parents=True, exist_ok=True)
    (ROOT / ".test-home").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-dock-", dir=ROOT / ".test-home"))
    cache = ROOT / ".test-home" / "bench-dock-archives"    # built archives, reused between runs
    cache.mkdir(exist_ok=True)
    config = SimConfig(seed=17, tiles=TILES, start=START, end=END, collections=(COLLECTION,), offline_fraction=0.0,
                       pad_to=args.size, work_dir=str(cache))
    runs = [("before", args.compare)] if args.compare else []
    runs.append(("this checkout", None))
    results = {}
    try:
        with MirrorSimulator(config) as sim:
            n = len(sim.products_of("geodes", COLLECTION))
            print(f"simulator: {n} products of {COLLECTION} on {', '.join(TILES)}, {START} .. {END}, "
                  f"{args.size / 1e6:.1f} MB each; slow {args.slow / 1e6:g} MB/s, fast {args.fast / 1e6:g} MB/s "
                  "per connection", flush=True)
            for p in sim.products_of("geodes", COLLECTION):
                p.path   # noqa: B018 (build the archives now, not during the search)
            for label, ref in runs:
                print(f"{label}{f' ({ref})' if ref else ''}: running QGIS...", flush=True)
                results[label] = run_qgis(label.replace(" ", "-"), ref, sim, args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    (OUT / "report.json").write_text(json.dumps(results, indent=2), encoding="utf-8")

    names = ("search", "download-slow", "download-fast", "load")
    print(f"\n{'longest main-thread stall (ms)':34}" + "".join(f"{label:>16}" for label in results))
    for phase in names:
        print(f"  {phase:32}" + "".join(f"{r['phases'][phase]['max_ms']:16.0f}" for r in results.values()))
    print(f"{'stalls > 100 ms (count)':34}")
    for phase in names:
        print(f"  {phase:32}" + "".join(f"{r['phases'][phase]['over_100ms']:16d}" for r in results.values()))
    print(f"{'phase duration (s)':34}")
    for phase in names:
        print(f"  {phase:32}" + "".join(f"{r['phases'][phase]['seconds']:16.1f}" for r in results.values()))
    for label, r in results.items():
        print(f"{label}: {r['products']} products, {r['download-fast']['rows_done']} done; "
              f"layers {r['load']}")
    ours = results["this checkout"]
    a, b, c = summary(ours)
    print(f"dock: max stall search = {a:.0f} ms, download = {b:.0f} ms, load = {c:.0f} ms ({ours['products']} products)")


if __name__ == "__main__":
    main()
