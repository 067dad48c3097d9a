"""NDVI benchmark: our engine vs gdal_calc.py, QgsRasterCalculator and an I/O floor, side by side in one run.

    make bench-ndvi                      # full tile, 10980 x 10980 (the product is cached in bench-output/ndvi/)
    make bench-ndvi BENCH_ARGS="--size 2745"

Every contender runs in its own subprocess (peak RSS and CPU of that process alone, from /usr/bin/time -v).
"work" is the contender's own computation timed inside its process, after imports and QGIS start-up, so the
ratios compare the computations and not interpreter start-up; "process" is the whole subprocess.
- ours (zip):        compute_ndvi on the MAJA zip, read in place through /vsizip/, default masks (CLM, EDG, SAT...)
- ours (extracted):  compute_ndvi on the extracted product folder, same masks
- gdal_calc:         osgeo_utils.gdal_calc.Calc (what gdal_calc.py runs), (B-A)/(B+A) on the extracted
                     FRE_B4/FRE_B8, Float32, same creation options as ours
- QgsRasterCalculator: the same formula on the same bands (its own output options: plain GTiff)
- I/O floor:         read both bands and write one float32 band, single thread, no arithmetic, plain tiled
                     GTiff with our compression, no overviews
The last line: ndvi: ours/QgsRasterCalculator = X.XX, ours/gdal_calc = X.XX, ours/io_floor = X.XX, peak = N MB
where "ours" is our engine on the same extracted bands as the others (like for like) and peak is the peak RSS
of our engine from the zip (what users run); the line before gives the same ratios from the zip.
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


# ---------------------------------------------------------------- contenders (run in a child process)

def run_ours(src, out):
    from plugin.core.ndvi import compute_ndvi
    r = compute_ndvi(src, out)
    return {"valid": round(r.valid_fraction, 4)}


def run_floor(red, nir, out):
    from osgeo import gdal
    from plugin.core.ndvi import CREATION_OPTIONS, TILE
    gdal.UseExceptions()
    gdal.SetConfigOption("GTIFF_DIRECT_IO", "YES")     # as fast as GDAL reads uncompressed strips
    a, b = gdal.Open(red), gdal.Open(nir)
    w, h = a.RasterXSize, a.RasterYSize
    opts = [o for o in CREATION_OPTIONS] + ["NUM_THREADS=1"]
    ds = gdal.GetDriverByName("GTiff").Create(out, w, h, 1, gdal.GDT_Float32, opts)
    ds.SetGeoTransform(a.GetGeoTransform())
    ds.SetProjection(a.GetProjection())
    ob, ab, bb = ds.GetRasterBand(1), a.GetRasterBand(1), b.GetRasterBand(1)
    for y in range(0, h, TILE):
        n = min(TILE, h - y)
        x = ab.ReadAsArray(0, y, w, n)
        bb.ReadAsArray(0, y, w, n)
        ob.WriteArray(x.astype("float32"), 0, y)      # a type conversion, no arithmetic
        ds.FlushCache()
        a.FlushCache()
        b.FlushCache()
    ob = ds = None
    return {}


def run_gdal_calc(red, nir, out):
    from osgeo_utils.gdal_calc import Calc
    from plugin.core.ndvi import CREATION_OPTIONS
    Calc(calc="(B.astype(numpy.float32)-A)/(B.astype(numpy.float32)+A)", A=red, B=nir, outfile=out,
         type="Float32", NoDataValue=-9999, creation_options=CREATION_OPTIONS, overwrite=True, quiet=True)
    return {}


def run_qgis(red, nir, out):
    from qgis.analysis import QgsRasterCalculator, QgsRasterCalculatorEntry
    from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    t0 = time.perf_counter()          # QGIS start-up is not the calculator's work: timed from here
    lr, ln = QgsRasterLayer(red, "red"), QgsRasterLayer(nir, "nir")
    entries = []
    for name, layer in (("red@1", lr), ("nir@1", ln)):
        e = QgsRasterCalculatorEntry()
        e.ref, e.raster, e.bandNumber = name, layer, 1
        entries.append(e)
    calc = QgsRasterCalculator('("nir@1" - "red@1") / ("nir@1" + "red@1")', out, "GTiff", lr.extent(),
                               lr.width(), lr.height(), entries, QgsProject.instance().transformContext())
    rc = calc.processCalculation()
    wall = time.perf_counter() - t0
    print("RESULT " + json.dumps({"wall": wall, "rc": int(rc)}), flush=True)
    os._exit(0 if rc == 0 else 1)     # QGIS 3.22 can crash while tearing down; the result is closed by now


def child(args):
    if args.child == "qgis":
        return run_qgis(args.red, args.nir, args.out)
    t0 = time.perf_counter()          # imports done: from here on it is the contender's work
    if args.child == "ours":
        extra = run_ours(args.src, args.out)
    elif args.child == "floor":
        extra = run_floor(args.red, args.nir, args.out)
    elif args.child == "gdal_calc":
        extra = run_gdal_calc(args.red, args.nir, args.out)
    else:
        raise SystemExit(f"unknown child {args.child}")
    extra["wall"] = time.perf_counter() - t0
    print("RESULT " + json.dumps(extra))


# ---------------------------------------------------------------- measuring

def measure(cmd, env=None):
    """Run cmd in a fresh process: (work seconds reported by the child, process wall, peak RSS MB, CPU s)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    work = next(json.loads(line[7:])["wall"] for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    # /usr/bin/time -v: the peak RSS and CPU of this process alone
    info = dict(line.strip().split(": ", 1) for line in proc.stderr.splitlines() if ": " in line)
    peak = int(info.get("Maximum resident set size (kbytes)", 0)) / 1024.0
    cpu = float(info.get("User time (seconds)", 0)) + float(info.get("System time (seconds)", 0))
    return work, wall, peak, cpu


def timed(cmd):
    return ["/usr/bin/time", "-v"] + cmd if os.path.exists("/usr/bin/time") else cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10980, help="tile width/height in 10 m pixels (dev: 2745)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-output", "ndvi"))
    ap.add_argument("--skip", default="", help="comma-separated contenders to skip: qgis,gdal_calc,floor")
    ap.add_argument("--child")
    ap.add_argument("--src")
    ap.add_argument("--red")
    ap.add_argument("--nir")
    ap.add_argument("--out-file", dest="out_file")
    args = ap.parse_args()
    if args.child:
        args.out = args.out_file
        return child(args)

    os.makedirs(args.out, exist_ok=True)
    zpath, xdir = product(args.out, args.size)
    red = os.path.join(xdir, f"{TITLE}_FRE_B4.tif")
    nir = os.path.join(xdir, f"{TITLE}_FRE_B8.tif")
    outs = os.path.join(args.out, f"out_{args.size}")
    os.makedirs(outs, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    bands = ["--red", red, "--nir", nir]
    contenders = [
        ("ours (zip)", ["ours", "--src", zpath], "ours_zip.tif"),
        ("ours (extracted)", ["ours", "--src", xdir], "ours_dir.tif"),
        ("gdal_calc", ["gdal_calc"] + bands, "gdal_calc.tif"),
        ("QgsRasterCalculator", ["qgis"] + bands, "qgis.tif"),
        ("I/O floor", ["floor"] + bands, "floor.tif"),
    ]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    res = {}
    print(f"\nNDVI of a {args.size} x {args.size} MAJA product ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")
    print("work = the contender's own computation, timed inside its process (no interpreter/QGIS start-up)")
    print(f"{'contender':<22}{'work s':>8}{'process s':>11}{'CPU s':>8}{'peak MB':>9}{'output MB':>11}")
    for name, child_args, out_name in contenders:
        if child_args[0] in skip:
            continue
        out_file = os.path.join(outs, out_name)
        if os.path.exists(out_file):
            os.remove(out_file)
        cmd = timed([PY, os.path.abspath(__file__), "--child"] + child_args + ["--out-file", out_file])
        work, wall, peak, cpu = measure(cmd, env)
        res[name] = (work, peak)
        size = os.path.getsize(out_file) / 1e6 if os.path.exists(out_file) else float("nan")
        print(f"{name:<22}{work:>8.2f}{wall:>11.2f}{cpu:>8.2f}{peak:>9.0f}{size:>11.0f}", flush=True)
    zip_wall, peak = res["ours (zip)"]
    ext_wall = res["ours (extracted)"][0]
    ratio = lambda ours, k: f"{ours / res[k][0]:.2f}" if k in res else "n/a"
    print(f"from the zip: ours/QgsRasterCalculator = {ratio(zip_wall, 'QgsRasterCalculator')}, "
          f"ours/gdal_calc = {ratio(zip_wall, 'gdal_calc')}, ours/io_floor = {ratio(zip_wall, 'I/O floor')}, "
          f"zip/extracted = {zip_wall / ext_wall:.2f} (goal <= 1.5)")
    # like for like: the other contenders read the same extracted bands; peak is the zip run's (what users run)
    print(f"ndvi: ours/QgsRasterCalculator = {ratio(ext_wall, 'QgsRasterCalculator')}, "
          f"ours/gdal_calc = {ratio(ext_wall, 'gdal_calc')}, ours/io_floor = {ratio(ext_wall, 'I/O floor')}, "
          f"peak = {peak:.0f} MB")

if __name__ == "__main__":
    main()
