"""NDVI benchmark: our engine vs gdal_calc, QgsRasterCalculator and an I/O floor, side by side in one run.

    make bench-ndvi                            # full tile, 10980 x 10980 (product cached in bench-output/ndvi/)
    make bench-ndvi BENCH_ARGS="--size 2745"   # quick variant
    make bench-ndvi BENCH_ARGS="--repeat 2"    # best of 2 rounds per contender (rounds interleaved, rotated)

How everything is measured, identically for every contender:
- each contender runs in its own fresh subprocess (same interpreter, same environment, same GDAL_CACHEMAX);
- "work" is timed inside that process around the contender's own computation only: modules are imported and
  QGIS is started before the clock starts, for every contender alike; opening the inputs, computing, writing
  and closing the output are inside it. "process" is the whole subprocess, start-up included, for reference;
- peak is the peak RSS of that process, CPU its user+system time (/usr/bin/time -v);
- all read the same files, already in the page cache (read once before the first contender), and write to
  the same folder (bench-output/ndvi/out_<size>/); the previous output is deleted and the disk synced before
  each contender, so nobody pays for anybody else's writeback.

Contenders:
- ours (zip):        compute_ndvi on the MAJA zip, read in place through /vsizip/ (what users run), default
                     masks: clouds, cloud shadows, edges, saturation (CLM, MG2, EDG, SAT), overviews x2..x32
- ours (extracted):  compute_ndvi on the extracted product folder: same masks, same output
- gdal_calc:         osgeo_utils.gdal_calc.Calc (what gdal_calc.py runs) on the extracted FRE_B4/FRE_B8,
                     Float32, nodata from the inputs; twice: its default output (plain GTiff) and our creation
                     options (tiled, ZSTD 1). The ratio uses the faster of the two. No masks, no overviews.
- QgsRasterCalculator: the same formula on the same bands, its default output (plain GTiff). No masks, no
                     overviews.
- I/O floor:         the issue's definition: read both bands and write one float32 band of the same size
                     (the red band, converted), single thread, no arithmetic; in OUR output format (tiled
                     512, ZSTD 1, no overviews), so it is a floor for our output. No masks. This is the floor
                     in the ratio. (Integer-valued reflectance as float32 costs ZSTD more than NDVI values do.)
- I/O floor (plain): the same, written uncompressed (GTiff defaults), for reference: the pure I/O cost.
The last line: ndvi: ours/QgsRasterCalculator = X.XX, ours/gdal_calc = X.XX, ours/io_floor = X.XX, peak = N MB
uses ours (extracted), reading the same files as the others; peak is the higher of our two runs. The line
before it gives the same ratios for ours (zip), which users run.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("GDAL_PAM_ENABLED", "NO")

TITLE = "SENTINEL2A_20230715-105856-123_L2A_T31TCJ_C_V3-1"
PY = sys.executable
FORMULA = "(NIR - RED) / (NIR + RED)"


def product(out_dir, size):
    """The cached synthetic MAJA zip and its extracted folder."""
    from plugin.core.models import ProductKind
    from tests.simulator.archives import build_archive

    zpath = os.path.join(out_dir, f"{TITLE}_{size}.zip")
    xdir = os.path.join(out_dir, f"extracted_{size}")
    if not os.path.exists(zpath):
        t0 = time.perf_counter()
        print(f"building a {size} x {size} MAJA product (cached for later runs)...", flush=True)
        build_archive(ProductKind.MAJA_L2A, TITLE, zpath, size=size)
        print(f"  built {os.path.getsize(zpath) / 1e6:.0f} MB in {time.perf_counter() - t0:.0f} s", flush=True)
    if not os.path.isdir(os.path.join(xdir, TITLE)):
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(xdir + ".part")
        os.replace(xdir + ".part", xdir)
    return zpath, os.path.join(xdir, TITLE)


# ---------------------------------------------------------------- contenders (each in a child process)
#
# prepare_* imports what the contender needs and returns a callable doing its work; only the call is timed.

def prepare_ours(args):
    from plugin.core.ndvi import compute_ndvi

    def work():
        r = compute_ndvi(args.src, args.out)
        return {"valid": round(r.valid_fraction, 4)}
    return work


def prepare_floor(args):
    import numpy as np
    from osgeo import gdal
    from plugin.core.ndvi import CREATION_OPTIONS, TILE

    def work():
        gdal.UseExceptions()
        gdal.SetConfigOption("GTIFF_DIRECT_IO", "YES")     # GDAL's fastest read of uncompressed strips
        t = {"read": 0.0, "convert": 0.0, "write": 0.0}
        clock = time.perf_counter
        a, b = gdal.Open(args.red), gdal.Open(args.nir)
        w, h = a.RasterXSize, a.RasterYSize
        options = ["NUM_THREADS=1"] if args.plain else CREATION_OPTIONS + ["NUM_THREADS=1"]
        ds = gdal.GetDriverByName("GTiff").Create(args.out, w, h, 1, gdal.GDT_Float32, options)
        ds.SetGeoTransform(a.GetGeoTransform())
        ds.SetProjection(a.GetProjection())
        ob, ab, bb = ds.GetRasterBand(1), a.GetRasterBand(1), b.GetRasterBand(1)
        red = np.empty((TILE, w), np.int16)
        nir = np.empty((TILE, w), np.int16)
        out = np.empty((TILE, w), np.float32)
        for y in range(0, h, TILE):
            n = min(TILE, h - y)
            t0 = clock()
            ab.ReadAsArray(0, y, w, n, buf_obj=red[:n])
            bb.ReadAsArray(0, y, w, n, buf_obj=nir[:n])
            a.FlushCache()
            b.FlushCache()
            t1 = clock()
            np.copyto(out[:n], red[:n], casting="unsafe")     # a type conversion, no arithmetic
            t2 = clock()
            ob.WriteArray(out[:n], 0, y)
            ds.FlushCache()
            t["read"] += t1 - t0
            t["convert"] += t2 - t1
            t["write"] += clock() - t2
        t0 = clock()
        ob = ds = None                                      # the last tiles are written on close
        t["write"] += clock() - t0
        return {k: round(v, 3) for k, v in t.items()}
    return work


def prepare_gdal_calc(args):
    from osgeo_utils.gdal_calc import Calc
    from plugin.core.ndvi import CREATION_OPTIONS
    options = CREATION_OPTIONS if args.ours_options else None

    def work():
        Calc(calc="(B.astype(numpy.float32) - A) / (B.astype(numpy.float32) + A)", A=args.red, B=args.nir,
             outfile=args.out, type="Float32", NoDataValue=-9999, creation_options=options, overwrite=True,
             quiet=True)
        return {}
    return work


def prepare_qgis(args):
    from qgis.analysis import QgsRasterCalculator, QgsRasterCalculatorEntry
    from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()

    def work():
        lr, ln = QgsRasterLayer(args.red, "red"), QgsRasterLayer(args.nir, "nir")
        entries = []
        for name, layer in (("red@1", lr), ("nir@1", ln)):
            e = QgsRasterCalculatorEntry()
            e.ref, e.raster, e.bandNumber = name, layer, 1
            entries.append(e)
        calc = QgsRasterCalculator('("nir@1" - "red@1") / ("nir@1" + "red@1")', args.out, "GTiff", lr.extent(),
                                   lr.width(), lr.height(), entries, QgsProject.instance().transformContext())
        rc = calc.processCalculation()
        if rc != 0:
            raise SystemExit(f"QgsRasterCalculator failed ({rc})")
        return {}
    work.app = app                    # QGIS lives until the process ends
    return work


def child(args):
    prepare = {"ours": prepare_ours, "floor": prepare_floor, "gdal_calc": prepare_gdal_calc,
               "qgis": prepare_qgis}[args.child]
    work = prepare(args)
    t0 = time.perf_counter()          # imports and start-up done: from here on it is the contender's work
    extra = work()
    extra["work"] = time.perf_counter() - t0
    print("RESULT " + json.dumps(extra), flush=True)
    if args.child == "qgis":
        os._exit(0)                   # QGIS 3.22 can crash while tearing down; the output is closed by now


# ---------------------------------------------------------------- measuring

def measure(cmd, env):
    """Run cmd in a fresh process: (child's result dict, process wall s, peak RSS MB, CPU s)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])}... failed ({proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    result = next(json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    # /usr/bin/time -v: the peak RSS and CPU of this process alone
    info = dict(line.strip().split(": ", 1) for line in proc.stderr.splitlines() if ": " in line)
    peak = int(info.get("Maximum resident set size (kbytes)", 0)) / 1024.0
    cpu = float(info.get("User time (seconds)", "nan")) + float(info.get("System time (seconds)", "nan"))
    return result, wall, peak, cpu


def timed(cmd):
    return ["/usr/bin/time", "-v"] + cmd if os.path.exists("/usr/bin/time") else cmd


def warm_page_cache(paths):
    """Read every input once, so that no contender pays for (or profits from) a cold cache."""
    for p in paths:
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10980, help="tile width/height in 10 m pixels (dev: 2745)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds; each contender's best round is kept")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-output", "ndvi"))
    ap.add_argument("--skip", default="", help="comma-separated contenders to skip: qgis,gdal_calc,floor")
    ap.add_argument("--child")
    ap.add_argument("--src")
    ap.add_argument("--red")
    ap.add_argument("--nir")
    ap.add_argument("--ours-options", dest="ours_options", action="store_true")
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("--out-file", dest="out_file")
    args = ap.parse_args()
    if args.child:
        args.out = args.out_file
        return child(args)

    import numpy
    from osgeo import gdal

    os.makedirs(args.out, exist_ok=True)
    zpath, xdir = product(args.out, args.size)
    red = os.path.join(xdir, f"{TITLE}_FRE_B4.tif")
    nir = os.path.join(xdir, f"{TITLE}_FRE_B8.tif")
    masks = [os.path.join(xdir, "MASKS", f"{TITLE}_{m}_R1.tif") for m in ("CLM", "MG2", "EDG", "SAT")]
    outs = os.path.join(args.out, f"out_{args.size}")
    os.makedirs(outs, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    bands = ["--red", red, "--nir", nir]
    contenders = [
        ("ours (zip)", ["ours", "--src", zpath], "ours_zip.tif"),
        ("ours (extracted)", ["ours", "--src", xdir], "ours_dir.tif"),
        ("gdal_calc (default)", ["gdal_calc"] + bands, "gdal_calc.tif"),
        ("gdal_calc (our opts)", ["gdal_calc", "--ours-options"] + bands, "gdal_calc_zstd.tif"),
        ("QgsRasterCalculator", ["qgis"] + bands, "qgis.tif"),
        ("I/O floor", ["floor"] + bands, "floor.tif"),
        ("I/O floor (plain)", ["floor", "--plain"] + bands, "floor_plain.tif"),
    ]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    contenders = [c for c in contenders if c[1][0] not in skip]

    warm_page_cache([zpath, red, nir] + masks)
    load0 = os.getloadavg()
    print(f"\nNDVI = {FORMULA} of a {args.size} x {args.size} MAJA product: {os.cpu_count()} CPUs, "
          f"load average {load0[0]:.1f} at start, GDAL {gdal.__version__}, numpy {numpy.__version__}, "
          f"best of {args.repeat} round(s)")
    if load0[0] > 0.5:
        print(f"  note: the machine is not idle (load {load0[0]:.1f}): times are inflated, ratios less so")
    print("work = the contender's own computation, timed inside its process after imports / QGIS start-up")
    print("ours applies 4 masks (CLM, MG2, EDG, SAT) and writes overviews x2..x32 in the same pass; gdal_calc, "
          "QgsRasterCalculator and the floors: no masks, no overviews")
    print(f"{'contender':<22}{'work s':>8}{'process s':>11}{'CPU s':>8}{'peak MB':>9}{'output MB':>11}  notes")
    best = {}
    for rnd in range(args.repeat):
        k = rnd % len(contenders)             # each round starts with another contender: no position bias
        for name, child_args, out_name in contenders[k:] + contenders[:k]:
            out_file = os.path.join(outs, out_name)
            if os.path.exists(out_file):
                os.remove(out_file)
            os.sync()
            cmd = timed([PY, os.path.abspath(__file__), "--child"] + child_args + ["--out-file", out_file])
            result, wall, peak, cpu = measure(cmd, env)
            work = result.pop("work")
            size = os.path.getsize(out_file) / 1e6
            notes = ", ".join(f"{k} {v}" for k, v in result.items())
            print(f"{name:<22}{work:>8.2f}{wall:>11.2f}{cpu:>8.2f}{peak:>9.0f}{size:>11.0f}  {notes}", flush=True)
            prev = best.get(name)
            best[name] = (min(work, prev[0]) if prev else work, max(peak, prev[1]) if prev else peak, result)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")

    work = {k: v[0] for k, v in best.items()}
    for name in ("I/O floor", "I/O floor (plain)"):
        if name in best:
            f = best[name][2]
            print(f"{name} breakdown (single thread): read {f['read']:.2f} s, convert {f['convert']:.2f} s, "
                  f"{'write' if 'plain' in name else 'compress+write'} {f['write']:.2f} s")
    calc = [k for k in ("gdal_calc (default)", "gdal_calc (our opts)") if k in work]
    if calc:
        fastest = min(calc, key=work.get)
        work["gdal_calc"] = work[fastest]
        print(f"gdal_calc in the ratios: {fastest}, the faster of its two invocations")
    ratio = lambda ours, k: f"{work[ours] / work[k]:.2f}" if k in work else "n/a"
    goals = (("QgsRasterCalculator", 0.20), ("gdal_calc", 0.30), ("I/O floor", 1.0))

    def line(ours):
        return ", ".join(f"ours/{'io_floor' if k == 'I/O floor' else k} = {ratio(ours, k)}" for k, _ in goals)

    z, x = "ours (zip)", "ours (extracted)"
    if "I/O floor" in work:
        print("reachable at all? the I/O floor itself is " + ", ".join(
            f"{work['I/O floor'] / work[k]:.2f} x {k}" for k, _ in goals[:2] if k in work)
            + " (the floor in our format; 'I/O floor (plain)' writes uncompressed, like QgsRasterCalculator "
              "and gdal_calc's default, for reference only)")
    print(f"goals: ours <= {', '.join(f'{g:.2f} x {k}' for k, g in goals)}, peak <= 400 MB, zip/extracted <= 1.5")
    print(f"from the zip (what users run), ours = ours (zip): {line(z)}, "
          f"zip/extracted = {work[z] / work[x]:.2f}")
    peak = max(best[z][1], best[x][1])
    print(f"like for like (final line), ours = ours (extracted), reading the same files as the others; "
          f"peak = the higher of our two runs:")
    print(f"ndvi: {line(x)}, peak = {peak:.0f} MB")


if __name__ == "__main__":
    main()
