"""NDVI benchmark: every contender writing the same format, side by side in one run.

    make bench-ndvi                            # full tile, 10980 x 10980 (product cached in bench-output/ndvi/)
    make bench-ndvi BENCH_ARGS="--size 2745"   # quick variant
    make bench-ndvi BENCH_ARGS="--repeat 1"    # one round (default: best of 3, rounds interleaved, rotated)

How everything is measured, identically for every contender:
- each contender runs in its own fresh subprocess (same interpreter, same environment, same GDAL_CACHEMAX);
- "work" is timed inside that process around the contender's own computation only: modules are imported and
  QGIS is started before the clock starts, for every contender alike; opening the inputs, computing, writing
  and closing the output are inside it. "process" is the whole subprocess, start-up included, for reference;
- peak is the peak RSS of that process, CPU its user+system time (/usr/bin/time -v);
- all read the same files, already in the page cache (read once before the first contender), and write to
  the same folder (bench-output/ndvi/out_<size>/); the previous output is deleted and the disk synced before
  each contender, so nobody pays for anybody else's writeback; each contender's best round is kept.

Contenders, by output format (each format written by all of its contenders):
(a) uncompressed float32, GTiff defaults (strips, no overviews):
    ours (compute_ndvi_bands, layout=plain), gdal_calc (osgeo_utils.gdal_calc.Calc, what gdal_calc.py runs),
    QgsRasterCalculator, and the I/O floor (read both bands, write one float32 band: a conversion, no
    arithmetic).
(b) compressed: tiled 512 x 512, ZSTD level 1, NUM_THREADS=2, internal overviews x2..x32 (nearest):
    ours (compute_ndvi_bands, default layout: overviews in the same pass); gdal_calc with exactly our creation
    options, then gdaladdo (BuildOverviews NEAREST, same levels, ZSTD 1, GDAL_NUM_THREADS=2); the I/O floor
    in this format (NUM_THREADS=2 too, overviews decimated in memory); ours with the 4 MAJA masks (CLM, MG2,
    EDG, SAT) from the extracted product, from the zip (what users run) and in Int16.
The last line:
  ndvi: same-format ours/gdal_calc = A (uncompressed), B (compressed); ours/QgsRasterCalculator = C;
        ours/io_floor = D; peak = N MB
where ours reads the same two band files as gdal_calc and QgsRasterCalculator, without masks (the same
work); C compares the uncompressed outputs (QgsRasterCalculator writes nothing else); D is in the
compressed format; peak is the highest peak RSS of all our runs. The line before it gives the masked ratios.
"""
import argparse
import json
import os
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from measuring import measure, warm_page_cache  # noqa: E402  (bench/, the script's folder)

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
    from plugin.core.ndvi import COMPRESSED, PLAIN, MaskPolicy, compute_index, compute_ndvi_bands
    layout = PLAIN if args.plain else COMPRESSED

    def work():
        if args.src:             # a product (zip or extracted folder): masks as asked
            masks = MaskPolicy() if args.masks else MaskPolicy.none()
            r = compute_index(args.src, args.out, masks=masks, encoding=args.encoding, layout=layout)
        else:                    # the same two band files the other contenders read, no masks
            r = compute_ndvi_bands(args.red, args.nir, args.out, encoding=args.encoding, layout=layout)
        return {"valid": round(r.valid_fraction, 4)}
    return work


def overview_levels(w, h):
    from plugin.core.ndvi import OVERVIEW_FACTORS, TILE
    return [f for f in OVERVIEW_FACTORS if -(-max(w, h) // (f // 2)) > TILE]


def prepare_floor(args):
    """Read both bands, write one float32 band of the same size (the red band, converted: no arithmetic),
    in the contender's format: plain, or ours (tiled, ZSTD 1, GTiff compressing on 2 threads as ours does,
    overviews decimated in memory as our engine does: nearest, every f-th pixel). One Python thread."""
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
        options = ["BIGTIFF=IF_SAFER"] if args.plain else CREATION_OPTIONS + ["NUM_THREADS=2"]   # as ours
        ds = gdal.GetDriverByName("GTiff").Create(args.out, w, h, 1, gdal.GDT_Float32, options)
        ds.SetGeoTransform(a.GetGeoTransform())
        ds.SetProjection(a.GetProjection())
        levels = [] if args.plain else overview_levels(w, h)
        if levels:
            ds.BuildOverviews("NONE", levels)
        ob, ab, bb = ds.GetRasterBand(1), a.GetRasterBand(1), b.GetRasterBand(1)
        ovs = [ob.GetOverview(i) for i in range(len(levels))]
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
            for ov, f in zip(ovs, levels):                     # 512-row blocks start on multiples of every f
                ov.WriteArray(np.ascontiguousarray(out[:n:f, ::f]), 0, y // f)
            ds.FlushCache()
            t["read"] += t1 - t0
            t["convert"] += t2 - t1
            t["write"] += clock() - t2
        t0 = clock()
        ob = ovs = ds = None                                # the last tiles are written on close
        t["write"] += clock() - t0
        return {k: round(v, 3) for k, v in t.items()}
    return work


def prepare_gdal_calc(args):
    from osgeo import gdal
    from osgeo_utils.gdal_calc import Calc
    from plugin.core.ndvi import CREATION_OPTIONS
    options = None if args.plain else CREATION_OPTIONS + ["NUM_THREADS=2"]     # exactly ours

    def work():
        Calc(calc="(B.astype(numpy.float32) - A) / (B.astype(numpy.float32) + A)", A=args.red, B=args.nir,
             outfile=args.out, type="Float32", NoDataValue=-9999, creation_options=options, overwrite=True,
             quiet=True)
        t = {}
        if not args.plain:       # gdaladdo: internal overviews, nearest, our levels, ZSTD 1, both cores
            t0 = time.perf_counter()
            for key, value in (("COMPRESS_OVERVIEW", "ZSTD"), ("ZSTD_LEVEL_OVERVIEW", "1"),
                               ("GDAL_NUM_THREADS", "2")):
                gdal.SetConfigOption(key, value)
            ds = gdal.Open(args.out, gdal.GA_Update)
            ds.BuildOverviews("NEAREST", overview_levels(ds.RasterXSize, ds.RasterYSize))
            ds = None
            t["gdaladdo"] = round(time.perf_counter() - t0, 3)
        return t
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

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10980, help="tile width/height in 10 m pixels (dev: 2745)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; each contender's best round is kept")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-output", "ndvi"))
    ap.add_argument("--skip", default="", help="comma-separated contenders to skip: qgis,gdal_calc,floor")
    ap.add_argument("--child")
    ap.add_argument("--src")
    ap.add_argument("--red")
    ap.add_argument("--nir")
    ap.add_argument("--masks", action="store_true")
    ap.add_argument("--encoding", default="float32")
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
    U, C = "uncompressed", "compressed"
    contenders = [        # (format, name, child arguments)
        (U, "ours", ["ours", "--plain"] + bands),
        (U, "gdal_calc", ["gdal_calc", "--plain"] + bands),
        (U, "QgsRasterCalculator", ["qgis"] + bands),
        (U, "I/O floor", ["floor", "--plain"] + bands),
        (C, "ours", ["ours"] + bands),
        (C, "ours, masks", ["ours", "--src", xdir, "--masks"]),
        (C, "ours, masks, from the zip", ["ours", "--src", zpath, "--masks"]),
        (C, "ours, masks, Int16", ["ours", "--src", xdir, "--masks", "--encoding", "int16"]),
        (C, "gdal_calc + gdaladdo", ["gdal_calc"] + bands),
        (C, "I/O floor", ["floor"] + bands),
    ]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    contenders = [c for c in contenders if c[2][0] not in skip]

    warm_page_cache([zpath, red, nir] + masks)
    load0 = os.getloadavg()
    print(f"\nNDVI = {FORMULA} of a {args.size} x {args.size} MAJA product: {os.cpu_count()} CPUs, "
          f"load average {load0[0]:.1f} at start, GDAL {gdal.__version__}, numpy {numpy.__version__}, "
          f"best of {args.repeat} round(s)")
    if load0[0] > 0.5:
        print(f"  note: the machine is not idle (load {load0[0]:.1f}): times are inflated, ratios less so")
    print("work = the contender's own computation, timed inside its process after imports / QGIS start-up; "
          "every contender reads the same extracted FRE_B4 / FRE_B8 (warm page cache) unless it says 'masks'")
    print(f"uncompressed = GTiff defaults (strips, no compression, no overviews); compressed = tiled 512, "
          f"ZSTD 1, NUM_THREADS=2, internal overviews x2..x32 (nearest)")
    print(f"{'format':<14}{'contender':<28}{'work s':>8}{'process s':>11}{'CPU s':>8}{'peak MB':>9}"
          f"{'output MB':>11}  notes")
    best, sizes = {}, {}
    for rnd in range(args.repeat):
        k = rnd % len(contenders)             # each round starts with another contender: no position bias
        for fmt, name, child_args in contenders[k:] + contenders[:k]:
            key = (fmt, name)
            out_file = os.path.join(outs, f"{fmt}_{name}.tif".replace(" ", "_").replace(",", "").replace("/", ""))
            if os.path.exists(out_file):
                os.remove(out_file)
            os.sync()
            cmd = [PY, os.path.abspath(__file__), "--child"] + child_args + ["--out-file", out_file]
            result, wall, peak, cpu = measure(cmd, env)
            work = result.pop("work")
            sizes[key] = os.path.getsize(out_file)
            notes = ", ".join(f"{k} {v}" for k, v in result.items())
            print(f"{fmt:<14}{name:<28}{work:>8.2f}{wall:>11.2f}{cpu:>8.2f}{peak:>9.0f}{sizes[key] / 1e6:>11.1f}"
                  f"  {notes}", flush=True)
            prev = best.get(key)
            best[key] = (min(work, prev[0]) if prev else work, max(peak, prev[1]) if prev else peak)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")

    work = {k: v[0] for k, v in best.items()}
    ratio = lambda a, b: f"{work[a] / work[b]:.2f}" if a in work and b in work else "n/a"
    scale = (10980 * 10980) / float(args.size * args.size)
    per_tile = lambda key: f"{sizes[key] * scale / 1e6:.0f} MB" if key in sizes else "n/a"
    print(f"bytes on disk per 10980 x 10980 tile{' (scaled from this size)' if args.size != 10980 else ''}: "
          f"float32 uncompressed {per_tile((U, 'ours'))}, float32 compressed {per_tile((C, 'ours, masks'))}, "
          f"Int16 compressed {per_tile((C, 'ours, masks, Int16'))}")
    print(f"with masks (what users run): ours, masks / gdal_calc + gdaladdo = "
          f"{ratio((C, 'ours, masks'), (C, 'gdal_calc + gdaladdo'))}, ours, masks / io_floor = "
          f"{ratio((C, 'ours, masks'), (C, 'I/O floor'))}, zip / extracted = "
          f"{ratio((C, 'ours, masks, from the zip'), (C, 'ours, masks'))}")
    print("goals: A, B, C <= 0.5; D <= 1.0; peak <= 400 MB. Final line: ours = our engine on the same two band "
          "files as the others, no masks; peak = the highest of all our runs")
    peak = max(v[1] for k, v in best.items() if k[1].startswith("ours"))
    print(f"ndvi: same-format ours/gdal_calc = {ratio((U, 'ours'), (U, 'gdal_calc'))} (uncompressed), "
          f"{ratio((C, 'ours'), (C, 'gdal_calc + gdaladdo'))} (compressed); "
          f"ours/QgsRasterCalculator = {ratio((U, 'ours'), (U, 'QgsRasterCalculator'))}; "
          f"ours/io_floor = {ratio((C, 'ours'), (C, 'I/O floor'))}; peak = {peak:.0f} MB")


if __name__ == "__main__":
    main()
